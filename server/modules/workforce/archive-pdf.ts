import PDFDocument from 'pdfkit';
import { findCjkFont } from '../../core/cjk-font.ts';
import { AppError } from '../../core/errors.ts';
import type { Archive } from './archive.ts';
import { APPRAISAL_ZH, CERTIFICATE_ZH, EDUCATION_ZH, POST_ZH, yuan } from './pay-rules.ts';
import { HONOUR_ZH } from './honours.ts';

/**
 * The printable archive sheet (社区工作者档案表), A4, with an embedded CJK font so it prints
 * in Chinese anywhere. The font is found on the server: GONGZHI_CJK_FONT (path, optionally
 * `path#PostScriptName` for a collection), else the usual Noto CJK / WenQuanYi / Droid files.
 */
const GENDER_ZH: Record<string, string> = { M: '男', F: '女' };
const POLITICAL_ZH: Record<string, string> = { party_member: '中共党员', probationary: '预备党员', league: '共青团员', masses: '群众' };

export async function archivePdf(a: Archive, printedAt: string): Promise<Buffer> {
  const font = findCjkFont('sans');
  if (!font) throw new AppError('PDF_FONT_MISSING');
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: `社区工作者档案 ${a.name}`, Author: 'Gongzhi 共治' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.registerFont('cjk', font.path, font.family);
  doc.font('cjk');

  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  doc.fontSize(18).text('社区工作者档案表', { align: 'center' });
  doc
    .moveDown(0.2)
    .fontSize(9)
    .fillColor('#666')
    .text(`${a.streetName} · ${a.communityName}    打印时间 ${printedAt}`, { align: 'center' });
  doc.fillColor('#000').moveDown(0.8);

  const row = (cells: [string, string][]) => {
    const y = doc.y;
    const w = width / cells.length;
    let h = 0;
    cells.forEach(([label, value], i) => {
      const x = left + i * w;
      const text = `${label}：${value || '—'}`;
      const th = doc.heightOfString(text, { width: w - 8 });
      h = Math.max(h, th);
      doc.fontSize(10).text(text, x + 4, y + 4, { width: w - 8 });
    });
    cells.forEach((_, i) =>
      doc
        .rect(left + i * w, y, w, h + 8)
        .strokeColor('#999')
        .stroke(),
    );
    doc.y = y + h + 8;
    doc.x = left;
  };
  const section = (title: string) => {
    if (doc.y > doc.page.height - 140) doc.addPage();
    doc.moveDown(0.6).fontSize(12).fillColor('#1d3b6b').text(title, left, doc.y).fillColor('#000').moveDown(0.3);
  };
  const lines = (items: string[], empty: string) => {
    doc.fontSize(10);
    if (!items.length) doc.fillColor('#888').text(empty, left).fillColor('#000');
    for (const t of items) {
      if (doc.y > doc.page.height - 70) doc.addPage();
      doc.text(`· ${t}`, left, doc.y, { width });
    }
  };

  row([
    ['姓名', a.name],
    ['性别', GENDER_ZH[a.gender ?? ''] ?? ''],
    ['年龄', a.age === null ? '' : `${a.age} 岁`],
  ]);
  row([
    ['证件号码', a.idMasked],
    ['联系电话', a.phoneMasked ?? ''],
    ['政治面貌', POLITICAL_ZH[a.political] ?? a.political],
  ]);
  row([
    ['学历', `${EDUCATION_ZH[a.education]}${a.fullTime ? '（全日制）' : '（在职）'}`],
    ['专业', a.major],
    ['党务工作者', a.partyAffairs ? '是' : '否'],
  ]);
  row([
    ['现任岗位', a.post ? `${POST_ZH[a.post]}${a.title ? ` · ${a.title}` : ''}` : '（无）'],
    ['参加社区工作', a.workStart],
    ['工作年限', `${a.yearsOfService} 年`],
  ]);
  row([
    ['岗前培训', a.onboardedOn ?? '未完成'],
    ['本年度培训', `${a.trainingDaysThisYear} 天`],
    ['状态', a.status === 'active' ? '在职' : a.status === 'retired' ? '退休' : '离职'],
  ]);

  section('任职经历');
  lines(
    a.posts.map(
      (p) =>
        `${p.startOn} 至 ${p.endOn ?? '今'}  ${p.communityName}  ${POST_ZH[p.post]}${p.title ? ` · ${p.title}` : ''}${p.reason ? `（${p.reason}）` : ''}`,
    ),
    '无记录',
  );
  section('职业资格与证书');
  lines(
    a.certificates.map((c) => `${c.issuedOn}  ${c.name}${c.number ? `  编号 ${c.number}` : ''}（${CERTIFICATE_ZH[c.kind]}）`),
    '无证书',
  );
  section('岗位职责');
  lines(a.duties, '未填写');
  section('年度考核');
  lines(
    a.appraisals.map((x) => `${x.year} 年度  ${APPRAISAL_ZH[x.result]}${x.note ? `  ${x.note}` : ''}`),
    '无考核记录',
  );
  section('等级');
  lines(
    a.grades.map((g) => `${g.effectiveFrom} 起  ${g.schemeCode}  ${g.grade} ${g.schemeCode.includes('4l6s') ? '档' : '级'}  ${g.reason}`),
    '未定级',
  );
  section('培训记录');
  lines(
    a.training.map((t) => `${t.startOn}  ${t.programme} · ${t.title}  ${t.days} 天 / ${t.hours} 学时`),
    '无培训记录',
  );
  section('荣誉');
  lines(
    a.honours.map((h) => `${h.awardedOn}  ${h.title}（${HONOUR_ZH[h.kind]}）${h.amountFen ? `  奖金 ${yuan(h.amountFen)} 元` : ''}`),
    '无',
  );
  section('关爱记录');
  lines(
    a.care.map(
      (c) =>
        `${c.year} 年  ${c.kind === 'care_fund' ? '关爱基金' : '健康体检'}  ${c.reason}${c.amountFen ? `  ${yuan(c.amountFen)} 元` : ''}  ${c.status}`,
    ),
    '无',
  );
  doc.moveDown(2).fontSize(10).text('本人签字：____________        审核人：____________        （盖章）', left);
  doc.end();
  return done;
}
