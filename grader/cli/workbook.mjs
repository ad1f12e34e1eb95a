#!/usr/bin/env node
// `npx workbook …`: the workbook's own command (no npm banner, so `npx workbook grade --json | jq` is clean).
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
