#!/usr/bin/env node
// gmon ships its TypeScript sources and runs them through tsx's loader, so there is
// no build step between a checkout and a working `gmon` (see README: "Run").
import {register} from 'tsx/esm/api';

register();
await import('../cli.tsx');
