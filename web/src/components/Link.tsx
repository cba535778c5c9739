import type { AnchorHTMLAttributes } from 'react';
import { followLink } from '../lib/router';

/** An in-app link: a real <a href> (keyboard, new tab, copy link), navigated without a reload. */
export function Link({ to, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  return <a href={to} {...rest} onClick={(e) => followLink(e, to)} />;
}
