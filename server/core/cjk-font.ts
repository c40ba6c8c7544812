import fs from 'node:fs';

/**
 * The Chinese font embedded in every printed PDF (certificates, mediation agreements, worker
 * archives). GONGZHI_CJK_FONT names a .ttf/.otf, or `file.ttc#PostScriptName` for a collection;
 * otherwise the Noto CJK fonts of Debian's fonts-noto-cjk (installed by .ci/run and the operator
 * guide), then other common CJK fonts. Serif reads as an official document; sans as a form.
 */
export interface CjkFont {
  path: string;
  family?: string;
}

const SERIF: [string, string | undefined][] = [
  ['/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', 'NotoSerifCJKsc-Regular'],
  ['/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc', 'NotoSerifCJKsc-Regular'],
];
const SANS: [string, string | undefined][] = [
  ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'],
  ['/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'],
  ['/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'],
];
const OTHERS: [string, string | undefined][] = [
  ['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', 'WenQuanYiMicroHei'],
  ['/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', 'WenQuanYiZenHei'],
  ['/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf', undefined],
];

/** The font to embed, or null when the machine has none (callers answer PDF_FONT_MISSING). */
export function findCjkFont(style: 'serif' | 'sans' = 'serif', env: NodeJS.ProcessEnv = process.env): CjkFont | null {
  const configured = env.GONGZHI_CJK_FONT;
  if (configured) {
    const [path, family] = configured.split('#');
    return fs.existsSync(path) ? { path, family: family || undefined } : null;
  }
  const order = style === 'serif' ? [...SERIF, ...SANS, ...OTHERS] : [...SANS, ...SERIF, ...OTHERS];
  const hit = order.find(([p]) => fs.existsSync(p));
  return hit ? { path: hit[0], family: hit[1] } : null;
}
