#!/usr/bin/env node
// gmon ships its TypeScript sources and runs them through tsx's loader, so there is
// no build step between a checkout and a working `gmon` (see README: "Run it").
import {register} from 'tsx/esm/api';

// React's development build doubles the cost of every redraw; users get the production one.
// Set before anything imports React (ESM imports are hoisted, hence the dynamic import below).
process.env['NODE_ENV'] ??= 'production';
register();
await import('../cli.tsx');
