#!/usr/bin/env node
'use strict';
// The lab and the demo: development tools, built by `npm run build:lab` beside the production build.
require('../dist/lab/cli/main.js');
