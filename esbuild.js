// Bundles the three entry points: the VS Code client (vscode stays external,
// the editor provides it), the language server and the CLI.
// Usage: node esbuild.js [--production] [--watch]
const esbuild = require('esbuild');
const { version } = require('./package.json');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// smtp-server falls back to a demo certificate and private key built into its
// tls-options module. The embedded server always brings its own, generated at
// start-up, so the bundle leaves the demo key out: a published private key has
// no place in a package (and vsce refuses one).
const withoutSmtpServerDemoKey = {
  name: 'smtp-server-without-demo-key',
  setup(build) {
    build.onLoad({ filter: /smtp-server[\\/]dist[\\/](cjs|esm)[\\/]tls-options\.js$/ }, (args) => {
      const esm = /[\\/]esm[\\/]/.test(args.path);
      return {
        loader: 'js',
        contents: [
          esm ? 'import crypto from "node:crypto";' : '"use strict";\nconst crypto = require("node:crypto");',
          'const defaults = { honorCipherOrder: true, requestOCSP: false, sessionIdContext: crypto.createHash("sha1").update(process.argv.join(" ")).digest("hex").slice(0, 32), minVersion: "TLSv1" };',
          'function getTLSOptions(opts) { return Object.assign({}, defaults, opts || {}); }',
          esm ? 'export default getTLSOptions;' : 'module.exports = getTLSOptions;',
        ].join('\n'),
      };
    });
  },
};

// mailparser (the capture server's MIME reader) and what it pulls in (iconv-lite's tables, html-to-text,
// linkify) is about a megabyte once bundled: more than the rest of the server. It goes into its own file,
// dist/mailparser.js, which the server and the CLI require at run time from beside themselves — one copy in
// the package instead of two, and the CLI loads it only when it starts the capture server, not on every run.
const mailparserBesideBundle = {
  name: 'mailparser-beside-bundle',
  setup(build) {
    build.onResolve({ filter: /^mailparser$/ }, () => ({ path: './mailparser.js', external: true }));
  },
};

// The CLI needs the embedded capture server only for serve, load and a run
// whose sessions name no @server. Bundled into dist/cli.js, its ~180 KB
// (smtp-server and the nodemailer pieces it uses; mailparser is apart already)
// was parsed by every command's start-up although never run; as its own file,
// dist/cliCaptureServer.js, it is read only when one of those imports it.
const captureServerApart = {
  name: 'capture-server-apart',
  setup(build) {
    build.onResolve({ filter: /\/captureServer\/localServer(\.js)?$/ }, () => ({ path: './cliCaptureServer.js', external: true }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  plugins: [withoutSmtpServerDemoKey],
};

const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  // module first: jsonc-parser's "main" is a UMD build whose require('./impl/…') calls esbuild cannot follow
  // (the server reads the capture server's rules files with it, the CLI also --env's settings.json).
  { ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js', mainFields: ['module', 'main'], plugins: [...common.plugins, mailparserBesideBundle] },
  { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', mainFields: ['module', 'main'], define: { SMTP_SESSION_VERSION: JSON.stringify(version) }, plugins: [...common.plugins, mailparserBesideBundle, captureServerApart] },
  { ...common, entryPoints: ['server/src/captureServer/localServer.ts'], outfile: 'dist/cliCaptureServer.js', mainFields: ['module', 'main'], plugins: [...common.plugins, mailparserBesideBundle] },
  { ...common, entryPoints: ['mailparser'], outfile: 'dist/mailparser.js' },
];

async function main() {
  if (watch) {
    const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
    await Promise.all(contexts.map((context) => context.watch()));
    console.log('esbuild: watching client, server, cli and mailparser');
    return;
  }
  await Promise.all(builds.map((options) => esbuild.build(options)));
  console.log(`esbuild: built dist/client.js, dist/server.js, dist/cli.js, dist/mailparser.js${production ? ' (production)' : ''}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
