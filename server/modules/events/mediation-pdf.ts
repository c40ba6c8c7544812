import PDFDocument from 'pdfkit';
import { findCjkFont } from '../../core/cjk-font.ts';

/**
 * The mediation agreement (人民调解协议书) as a printable A4 PDF in Chinese. The CJK font comes
 * from GONGZHI_CJK_FONT or the Noto CJK fonts Debian installs (fonts-noto-cjk); without one the
 * PDF cannot be made and the caller gets a clear error.
 */
/** The font this agreement embeds (null when the server has no CJK font). */
export function cjkFont() {
  return findCjkFont('serif');
}

export interface AgreementData {
  number: string;
  placeName: string;
  mediatorOrg: string;
  mediatorName: string;
  parties: { side: string; name: string }[];
  facts: string;
  agreement: string;
  sessions: { at: string; notes: string }[];
  closedAt: string;
}

export function agreementPdf(d: AgreementData): Promise<Buffer> {
  const font = cjkFont();
  if (!font) throw new Error('no CJK font found: install fonts-noto-cjk or set GONGZHI_CJK_FONT');
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margins: { top: 64, bottom: 64, left: 72, right: 72 },
      info: { Title: `人民调解协议书 ${d.number}` },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('cjk', font.path, font.family);
    doc.font('cjk');
    doc.fontSize(20).text('人民调解协议书', { align: 'center' });
    doc.moveDown(0.3).fontSize(10).text(`编号：${d.number}`, { align: 'right' });
    doc.moveDown();
    doc.fontSize(12);
    for (const p of d.parties) doc.text(`${p.side === 'applicant' ? '申请人' : '被申请人'}：${p.name}`);
    doc.moveDown(0.5).text(`调解组织：${d.mediatorOrg}`);
    doc.text(`调解员：${d.mediatorName}`);
    doc.text(`纠纷发生地：${d.placeName}`);
    doc.moveDown().fontSize(13).text('一、纠纷主要事实、争议事项');
    doc.fontSize(12).text(d.facts, { indent: 24, lineGap: 4 });
    doc.moveDown().fontSize(13).text('二、调解经过');
    for (const s of d.sessions) doc.fontSize(12).text(`${s.at}：${s.notes}`, { indent: 24, lineGap: 4 });
    doc.moveDown().fontSize(13).text('三、经调解，双方自愿达成如下协议');
    doc.fontSize(12).text(d.agreement, { indent: 24, lineGap: 4 });
    doc.moveDown().text('四、履行方式与时限：按上述协议内容履行。本协议自各方当事人签名、调解员签名并加盖人民调解委员会印章之日起生效。', {
      lineGap: 4,
    });
    doc.text('本协议一式三份，当事人各执一份，人民调解委员会留存一份。', { lineGap: 4 });
    doc.moveDown(2);
    for (const p of d.parties) doc.text(`${p.side === 'applicant' ? '申请人' : '被申请人'}（签名）：________________`, { lineGap: 10 });
    doc.text('调解员（签名）：________________', { lineGap: 10 });
    doc.moveDown().text(`${d.mediatorOrg}（印章）`, { align: 'right' });
    doc.text(d.closedAt, { align: 'right' });
    doc.end();
  });
}
