import PDFDocument from 'pdfkit';
import { AppError } from '../../core/errors.ts';
import { findCjkFont } from '../../core/cjk-font.ts';

/**
 * A certificate as a printable A4 PDF in Chinese (MISSION V4): number, title, text, the issuing
 * community with a blank area for the red stamp (盖章处), date, and the verification code with the
 * address where anyone can check it. The CJK font is embedded (subset), so it prints the same on
 * any machine. Fonts: GONGZHI_CJK_FONT (a .ttf/.otf, or "file.ttc#PostScriptName"), else Noto CJK
 * from Debian's fonts-noto-cjk (installed by .ci/run and the operator guide).
 */

export interface CertificatePrint {
  number: string;
  title: string;
  body: string;
  communityName: string;
  issuedAt: Date;
  validUntil: string;
  legalBasis: string;
  verifyCode: string;
  verifyUrl: string;
}

const MM = 72 / 25.4;

function chineseDate(d: Date): string {
  const local = new Date(d.getTime() + 8 * 3600_000);
  return `${local.getUTCFullYear()}年${local.getUTCMonth() + 1}月${local.getUTCDate()}日`;
}

export function renderCertificatePdf(c: CertificatePrint): Promise<Buffer> {
  const font = findCjkFont('serif');
  if (!font) throw new AppError('PDF_FONT_MISSING');
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 30 * MM, bottom: 25 * MM, left: 28 * MM, right: 26 * MM },
    info: { Title: `${c.title} ${c.number}`, Author: c.communityName, Subject: c.title, Creator: 'Gongzhi 共治' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font.path, font.family);
  doc.font('cjk');
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const left = doc.page.margins.left;

  doc
    .fontSize(10.5)
    .fillColor('#333')
    .text(`编号：${c.number}`, left, 20 * MM, { width, align: 'right' });
  doc
    .fontSize(26)
    .fillColor('#000')
    .text(c.title, left, 40 * MM, { width, align: 'center', characterSpacing: 8 });
  doc.moveDown(1.5);
  doc.fontSize(14);
  for (const para of c.body.split('\n')) {
    doc.text(para, { width, indent: 28, lineGap: 10, align: 'justify' });
    doc.moveDown(0.6);
  }
  doc.text('特此证明。', { width, indent: 28 });
  doc.text(`有效期至：${c.validUntil}`, { width, indent: 28 });

  // The issuer, the date and a dashed 42 mm circle where the community's seal goes.
  const sealY = 175 * MM;
  const sealX = left + width - 60 * MM;
  doc
    .save()
    .dash(3, { space: 3 })
    .circle(sealX + 21 * MM, sealY + 6 * MM, 21 * MM)
    .strokeColor('#c8c8c8')
    .stroke()
    .restore();
  doc
    .fontSize(9)
    .fillColor('#b0b0b0')
    .text('（盖章处）', sealX, sealY + 4 * MM, { width: 42 * MM, align: 'center' });
  doc.fontSize(14).fillColor('#000');
  doc.text(`${c.communityName}居民委员会`, left, sealY + 2 * MM, { width: width - 4 * MM, align: 'right' });
  doc.text(chineseDate(c.issuedAt), left, sealY + 12 * MM, { width: width - 4 * MM, align: 'right' });

  const footY = doc.page.height - doc.page.margins.bottom - 22 * MM;
  doc
    .moveTo(left, footY - 3 * MM)
    .lineTo(left + width, footY - 3 * MM)
    .strokeColor('#999')
    .lineWidth(0.5)
    .stroke();
  doc.fontSize(9).fillColor('#444');
  doc.text(`出具依据：${c.legalBasis}`, left, footY, { width });
  doc.text(`验证码：${c.verifyCode}\u3000查验地址：${c.verifyUrl}`, { width });
  doc.text('本证明仅在有效期内、盖章后有效；可凭验证码在线查验真伪，查验结果不显示个人信息。', { width });
  doc.end();
  return done;
}
