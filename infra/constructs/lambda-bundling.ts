/**
 * How every function is bundled, in one place: the CDK construct (relaydesk-function.ts) turns these
 * esbuild options into NodejsFunction bundling props and the bundle-size bench hands them to esbuild
 * as they are, so the bench measures what ships. Both run esbuild from the project root.
 */
import type { BuildOptions } from 'esbuild';

/** Lets esbuild's ESM output load the CommonJS dependencies that still call `require`. */
const ESM_REQUIRE_SHIM =
  "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

/**
 * Packages that one dependency `require`s and another `import`s. Their `exports` send the two kinds
 * of import to two builds of the same code, and esbuild bundles both: mailsplit (CommonJS) and
 * mailparser (ESM) pulled both builds of libmime, sanitize-html (CommonJS) and html-to-text (ESM) both
 * builds of htmlparser2 with its own copies of domhandler, domutils and entities — about 240 KiB
 * twice over. Each is pinned to one build, resolved from the project root:
 * - libmime to CommonJS, because mailsplit calls helpers (`detectMimeType`) on the module itself,
 *   which the ESM build only offers on its default export;
 * - htmlparser2 to ESM, because sanitize-html only needs its named `Parser` export, which both builds
 *   have, and the ESM build brings the ESM builds of its dependencies along.
 */
const SINGLE_BUILD_PACKAGES = {
  libmime: './node_modules/libmime/dist/cjs/libmime.js',
  htmlparser2: './node_modules/htmlparser2/dist/esm/index.js',
};

export const lambdaBundleOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  // Prefer ESM entry points so tree shaking can drop the parts of the SDK we never call.
  mainFields: ['module', 'main'],
  minify: true,
  // Non-ASCII text as UTF-8 instead of \uXXXX escapes: the charset tables of the MIME parser are
  // mostly CJK strings, twice as large escaped (the inbound function lost 270 KiB).
  charset: 'utf8',
  sourcemap: true,
  // Stack traces need the mappings, not a second copy of the source inside the zip.
  sourcesContent: false,
  alias: SINGLE_BUILD_PACKAGES,
  // Bundle the SDK too: a pinned, tree-shaken SDK beats the runtime's copy on cold start and keeps
  // the code we test the code we ship.
  external: [],
  banner: { js: ESM_REQUIRE_SHIM },
} as const satisfies BuildOptions;
