import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config.ts';

/**
 * The scaffold copies the root plugin's logos only; each nested plugin (datasource/, panels/*) needs its own
 * img/ next to its plugin.json in dist.
 */
const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  return merge(baseConfig, {
    plugins: [
      new CopyWebpackPlugin({
        patterns: [{ from: '{datasource,panels/*}/img/**/*', to: '.', noErrorOnMissing: false }],
      }),
    ],
  });
};

export default config;
