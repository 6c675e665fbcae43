import React, { memo } from 'react';
import { css } from '@emotion/css';
import { ICON_PATHS, type WallIconName } from './icons';

interface Props {
  name: WallIconName;
  /** The glyph's colour (the text colour around it). */
  color: string;
  className?: string;
  /** Announced to screen readers; without it the icon is decoration. */
  title?: string;
}

const urls = new Map<string, string>();

/** One data URL per icon and colour, shared by every card: the browser decodes each image once. */
export function iconUrl(name: WallIconName, color: string): string {
  const key = `${name}\u0000${color}`;
  let url = urls.get(key);
  if (!url) {
    const paths = ICON_PATHS[name].map((d) => `<path d="${d}"/>`).join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="${color}">${paths}</svg>`;
    url = `url("data:image/svg+xml,${encodeURIComponent(svg)}")`;
    urls.set(key, url);
  }
  return url;
}

const base = css({
  display: 'inline-block',
  width: '1em',
  height: '1em',
  flexShrink: 0,
  verticalAlign: 'middle',
  backgroundRepeat: 'no-repeat',
  backgroundPosition: 'center',
  backgroundSize: 'contain',
});

/**
 * An icon painted as a background image. Inline <svg> elements (and Grafana's <Icon>, which fetches and parses one
 * per instance) each add compositing work; at a thousand cards that was most of a frame.
 */
export const WallIcon = memo(function WallIcon({ name, color, className, title }: Props) {
  return (
    <span
      className={className ? `${base} ${className}` : base}
      style={{ backgroundImage: iconUrl(name, color) }}
      data-icon={name}
      role={title ? 'img' : undefined}
      aria-hidden={title ? undefined : true}
      aria-label={title}
      title={title}
    />
  );
});
