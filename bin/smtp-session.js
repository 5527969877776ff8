#!/usr/bin/env node
// The npm bin entry: a tiny launcher for the bundled CLI so that `npx smtp-session`
// works from a checkout after `npm run build` and from an installed package.
require('../dist/cli.js');
