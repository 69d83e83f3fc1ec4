"""The host's rules, _redirects (read by Netlify) and _headers (Netlify, Cloudflare Pages), from the site settings.

A rule matches a path inside the publish folder; a redirect's target carries the base URL's path, as a site published
under https://example.org/jbcc/ is served there by a proxy to the host.
"""

from __future__ import annotations

from .model import Site
from .routes import (CHOOSER, HOME, NOT_FOUND, ROBOTS, ROOT_NOT_FOUND, SITEMAP, STATIC_FOLDER, Routes, page_key,
                     rule_file, rule_path, rule_pattern)

# Chinese as read in Hong Kong, Taiwan and Macau is written in Traditional characters.
TRADITIONAL_CHINESE = ("zh-hk", "zh-tw", "zh-mo", "zh-hant")

CONTENT_SECURITY_POLICY = "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'none'"
SECURITY = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("Strict-Transport-Security", "max-age=31536000"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
)
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=0, must-revalidate"
HEADERS_NOTE = ("# Written by build.py from content/site.yaml. Files under static/ are named by a hash of\n"
                "# their content, so they never change: cached for a year. Pages revalidate on every visit.\n"
                "# No two rules that match one address set the same header: hosts would join the values.\n")


def hosting_files(site: Site, routes: Routes) -> dict[str, str]:
    """Return the host's rule files of the publish folder, {name: text}."""
    return {"_redirects": redirects(site, routes), "_headers": headers(site, routes)}


def accepted_tags(hreflang: str) -> tuple[str, ...]:
    """Return the browser languages that choose pages tagged hreflang, as Netlify's Language condition lists them."""
    tag = hreflang.lower()
    if tag in TRADITIONAL_CHINESE or tag.startswith("zh-hant"):
        return TRADITIONAL_CHINESE
    return (tag.split("-")[0],)


def redirects(site: Site, routes: Routes) -> str:
    """Write _redirects: the root redirected by browser language to its home page, a 404 page per folder."""
    links, root = routes.links, rule_path(routes.of_kind(CHOOSER)[0])
    rules = ["# Written by build.py from content/site.yaml.",
             "# The root only, by the browser's first language; every other address is left alone.",
             "# 302: the answer depends on the browser. '!': the root has a file (the language chooser)."]
    homes = {route.code for route in routes.texts(page_key(HOME))}  # the languages whose home page has a text
    chosen = [(lang, accepted_tags(lang.hreflang)) for lang in site.languages
              if lang.code != site.default_language and lang.code in homes]
    # Netlify applies the first rule that matches: regional tags come first, so zh-hk is tried before the bare zh.
    chosen.sort(key=lambda choice: all("-" not in tag for tag in choice[1]))
    rules += [_rule(root, links.home(lang.code), "302!", f"Language={','.join(tags)}") for lang, tags in chosen]
    rules.append(_rule(root, links.home(site.default_language), "302!"))
    rules.append("# Addresses that have no file: the not-found page of their language, else the root one.")
    rules += [_rule(rule_pattern(links.folder(route.code)), rule_path(route), "404")
              for route in routes.of_kind(NOT_FOUND)]
    rules += [_rule(rule_pattern(), rule_path(route), "404") for route in routes.of_kind(ROOT_NOT_FOUND)]
    return "\n".join(rules) + "\n"


def _rule(source: str, target: str, status: str, condition: str = "") -> str:
    """Return one _redirects line, its columns aligned."""
    return f"{source:<12} {target:<16} {status:<5} {condition}".rstrip()


def headers(site: Site, routes: Routes) -> str:
    """Write _headers: security headers everywhere, caching by kind of file, Content-Language per folder."""
    every = ", ".join(lang.html_lang for lang in site.languages)
    pages = [(rule_path(route), every) for route in routes.of_kind(CHOOSER, ROOT_NOT_FOUND)]
    pages += [(rule_pattern(routes.links.folder(lang.code)), lang.html_lang) for lang in site.languages]
    rules = [(rule_pattern(), SECURITY), (rule_pattern(f"{STATIC_FOLDER}/"), (("Cache-Control", IMMUTABLE),))]
    rules += [(path, (("Content-Language", language), ("Cache-Control", REVALIDATE))) for path, language in pages]
    rules += [(rule_file(name), (("Cache-Control", REVALIDATE),)) for name in (SITEMAP, ROBOTS)]
    return HEADERS_NOTE + "".join(_block(path, values) for path, values in rules)


def _block(path: str, values: tuple[tuple[str, str], ...]) -> str:
    """Return one rule of _headers: the path, then its headers indented."""
    return path + "\n" + "".join(f"  {name}: {value}\n" for name, value in values)
