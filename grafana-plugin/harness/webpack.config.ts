import CopyWebpackPlugin from 'copy-webpack-plugin';
import path from 'path';
import type { Configuration } from 'webpack';

/**
 * Bundles the harness pages (the wall, and table.html for a dashboard's table panel): the plugin's own sources plus React, @grafana/data and @grafana/ui (which Grafana
 * would provide), with @grafana/runtime replaced by harness/src/runtime.ts. Production mode (React's production
 * build, as in Grafana) without the minifier, so the bundle builds quickly on a shared machine; the filesystem cache
 * makes re-runs cheap.
 */
const root = path.resolve(__dirname, '..');
const pkgDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));
const inter = (file: string) => path.join(pkgDir('@fontsource/inter'), 'files', file);

/** Grafana serves Inter and Roboto Mono under public/fonts (GlobalStyles' @font-face); these are the same fonts. */
const GRAFANA_FONTS = [
  { from: inter('inter-latin-400-normal.woff2'), to: 'public/fonts/inter/Inter-Regular.woff2' },
  { from: inter('inter-latin-500-normal.woff2'), to: 'public/fonts/inter/Inter-Medium.woff2' },
  { from: inter('inter-latin-400-italic.woff2'), to: 'public/fonts/inter/Inter-Italic.woff2' },
  { from: inter('inter-latin-500-italic.woff2'), to: 'public/fonts/inter/Inter-MediumItalic.woff2' },
  {
    from: path.join(pkgDir('@fontsource/roboto-mono'), 'files', 'roboto-mono-latin-400-normal.woff2'),
    to: 'public/fonts/roboto/L0xTDF4xlVMF-BfR8bXMIhJHg45mwgGEFl0_3vrtSM1J-gEPT5Ese6hmHSh0mQ.woff2',
  },
];

const config: Configuration = {
  mode: 'production',
  devtool: false,
  optimization: { minimize: false },
  context: root,
  entry: { harness: './harness/src/index.tsx', table: './harness/src/table.tsx' },
  output: { path: path.join(root, 'harness', 'dist'), filename: '[name].js', publicPath: '/', clean: true },
  cache: { type: 'filesystem', cacheDirectory: path.join(root, 'node_modules', '.cache', 'harness-webpack') },
  resolve: {
    extensions: ['.tsx', '.ts', '.mjs', '.js', '.jsx', '.json'],
    alias: { '@grafana/runtime$': path.join(root, 'harness', 'src', 'runtime.ts') },
    fallback: { fs: false, path: false, os: false, crypto: false, stream: false },
  },
  module: {
    rules: [
      {
        test: /\.[tj]sx?$/,
        exclude: /node_modules/,
        use: {
          loader: 'swc-loader',
          options: {
            jsc: {
              target: 'es2020',
              parser: { syntax: 'typescript', tsx: true },
              transform: { react: { runtime: 'automatic' } },
            },
          },
        },
      },
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
      { test: /\.css$/, use: ['style-loader', 'css-loader'] },
      { test: /\.(woff2?|ttf|eot)$/, type: 'asset/resource', generator: { filename: 'fonts/[name][ext]' } },
      { test: /\.(png|jpe?g|gif|svg)$/, type: 'asset/resource' },
    ],
  },
  plugins: [
    new CopyWebpackPlugin({
      patterns: [
        { from: 'harness/src/index.html', to: 'index.html' },
        { from: 'harness/src/table.html', to: 'table.html' },
        // Grafana serves @grafana/ui's icons under public/build/img/icons; the panel's Icon loads them from there.
        { from: path.join(pkgDir('@grafana/ui'), 'dist', 'public', 'img', 'icons'), to: 'public/build/img/icons' },
        ...GRAFANA_FONTS,
      ],
    }),
  ],
  performance: { hints: false },
  stats: 'errors-warnings',
};

export default config;
