/**
 * `@rlhf/browser-testing` (private): what the browser tests share — bundling an entry with esbuild as an
 * application would (failing on any Node built-in) and serving it to headless Chromium.
 *
 * @packageDocumentation
 */
export {
  type BundleForBrowserOptions,
  bundleForBrowser,
  GUARDED_THIRD_PARTY_IMPORTERS,
  NodeBuiltinInBrowserError,
} from './bundle-for-browser.js';
export { stories260KFolder } from './model-folder.js';
export {
  CHROMIUM,
  type ChromiumPage,
  type OpenInChromiumOptions,
  openInChromium,
} from './open-in-chromium.js';
