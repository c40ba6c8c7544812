import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCjkFont } from './cjk-font.ts';

describe('findCjkFont', () => {
  it('takes GONGZHI_CJK_FONT with an optional PostScript name, and refuses a missing file', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gz-font-')), 'x.ttc');
    fs.writeFileSync(file, 'not really a font');
    expect(findCjkFont('serif', { GONGZHI_CJK_FONT: `${file}#MyFont-Regular` })).toEqual({ path: file, family: 'MyFont-Regular' });
    expect(findCjkFont('sans', { GONGZHI_CJK_FONT: file })).toEqual({ path: file, family: undefined });
    expect(findCjkFont('serif', { GONGZHI_CJK_FONT: `${file}.missing` })).toBeNull();
  });

  it('prefers serif for documents and sans for forms among the installed Noto CJK fonts', () => {
    const serif = findCjkFont('serif', {});
    const sans = findCjkFont('sans', {});
    if (fs.existsSync('/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc')) expect(serif?.family).toBe('NotoSerifCJKsc-Regular');
    if (fs.existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc')) expect(sans?.family).toBe('NotoSansCJKsc-Regular');
  });
});
