// Runs the changesets CLI (`pnpm changeset ...`) on Node 20.
// @changesets/cli 3 declares Node ^22.11, but only its bin script needs Node 22 (it calls
// `module.enableCompileCache`); the CLI itself reads `process.argv` and runs on Node 20. Drop this
// wrapper (and point the `changeset` script back at `changeset`) once CI runs Node 22.
await import('@changesets/cli');
