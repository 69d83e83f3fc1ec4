// Runs Netlify's own parsers on a project's netlify.toml and on the _redirects and
// _headers files of its publish folder, and prints what they return as JSON.
//
//   node tests/tools/netlify-parse.mjs PROJECT [PATH ...]
//
// PROJECT is the folder holding netlify.toml. For each PATH (like /en/), "headersFor"
// gives the headers Netlify's rules set on it, matched the way `netlify dev` does, and
// "setTwice" the header names that more than one matching rule sets.
import { resolve, join } from 'node:path'
import process from 'node:process'

import { resolveConfig } from '@netlify/config'
import { parseAllHeaders } from '@netlify/headers-parser'
import { parseAllRedirects } from '@netlify/redirect-parser'

const [project = '.', ...paths] = process.argv.slice(2)
const root = resolve(project)
const configPath = join(root, 'netlify.toml')

// The configuration as Netlify's build resolves it, offline: no site, no API.
const { config, logs } = await resolveConfig({
  config: configPath,
  cwd: root,
  repositoryRoot: root,
  context: 'production',
  offline: true,
  buffer: true,
})
const publish = config.build.publish

// The same parsers again, called directly: they return errors where the build only warns.
const redirects = await parseAllRedirects({
  redirectsFiles: [join(publish, '_redirects')],
  netlifyConfigPath: configPath,
  minimal: false,
})
const headers = await parseAllHeaders({
  headersFiles: [join(publish, '_headers')],
  netlifyConfigPath: configPath,
  minimal: false,
})

const matching = (path) => headers.headers.filter(({ forRegExp }) => forRegExp.test(path)).map(({ values }) => values)
const headersFor = (path) => Object.assign({}, ...matching(path))
const setTwice = (path) => {
  const names = matching(path).flatMap((values) => Object.keys(values).map((name) => name.toLowerCase()))
  return [...new Set(names.filter((name, index) => names.indexOf(name) !== index))]
}

const messages = (errors) => errors.map((error) => error.message)

console.log(
  JSON.stringify(
    {
      build: config.build,
      config: { redirects: config.redirects, headers: config.headers },
      warnings: logs.stderr,
      redirects: { rules: redirects.redirects, errors: messages(redirects.errors) },
      headers: {
        rules: headers.headers.map(({ forRegExp, ...rule }) => ({ ...rule, forRegExp: String(forRegExp) })),
        errors: messages(headers.errors),
      },
      headersFor: Object.fromEntries(paths.map((path) => [path, headersFor(path)])),
      setTwice: Object.fromEntries(paths.map((path) => [path, setTwice(path)])),
    },
    null,
    2,
  ),
)
