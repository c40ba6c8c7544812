import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';
import { makeIdNumber } from '../registry/id-number.ts';
import { MAX_SCAN_BYTES, scanProblem } from './recruitment-public.ts';

/**
 * The public online application form (W3): no sign-in, certificate scans checked by type and
 * size and stored with the application, a pre-check of the plan's requirements with reasons,
 * retries that never file twice, and the scans readable by HR of the post's street only.
 */

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR scan of a certificate')]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF');

describe('certificate scans', () => {
  it.each([
    ['application/pdf', PDF, null],
    ['image/png', PNG, null],
    ['image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), null],
    ['image/gif', Buffer.from('GIF89a'), '仅支持'],
    ['image/png', PDF, '不符'],
    ['application/pdf', Buffer.alloc(0), '为空'],
    ['application/pdf', Buffer.concat([PDF, Buffer.alloc(MAX_SCAN_BYTES)]), '2MB'],
  ])('%s of %i bytes', (mime, content, problem) => {
    const r = scanProblem(mime, content);
    if (problem === null) expect(r).toBeNull();
    else expect(r).toContain(problem);
  });
});

describe.each(ENGINES)('the online application form on %s', (engine) => {
  let t: TestApp;
  let yinzhou: Client, fuming: Client, dongliu: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    [yinzhou, fuming] = await Promise.all(['yinzhou', 'fuming'].map((u) => t.login(u)));
    dongliu = yinzhou; // the district HR reaches 东柳街道's post; 福明街道's staff does not
  });
  afterAll(async () => t?.close());

  it('takes an application with scans from anyone, pre-checks it, and keeps it once', async () => {
    const created = await yinzhou.post('/api/workforce/recruitment/plans', {
      districtCode: '330212',
      year: new Date().getFullYear(),
      title: '鄞州区社区专职工作者网上报名测试',
      requirements: { minAge: 18, maxAge: 35, ageOn: '2026-11-01', minEducation: 'bachelor', majors: [], fullTimeOnly: true },
      bonus: { social_worker: 5 },
      posts: [{ streetCode: '330212012', name: '东柳街道社区专职工作者', quota: 1 }],
    });
    let plan = created.json();
    const postId = plan.posts[0].id;
    const url = `/api/public/recruitment/plans/${plan.id}`;
    // A draft is not public.
    expect((await t.anonymous.get(url)).statusCode).toBe(404);
    plan = (await yinzhou.post(`/api/workforce/recruitment/plans/${plan.id}/advance`, { version: plan.version, to: 'open' })).json();
    const shown = (await t.anonymous.get(url)).json();
    expect(shown).toMatchObject({ open: true, districtName: '鄞州区', posts: [{ id: postId, streetName: '东柳街道' }] });
    expect(shown.requirements.maxAge).toBe(35);
    expect(JSON.stringify(shown)).not.toContain('counts');
    expect(((await t.anonymous.get('/api/public/recruitment/plans')).json().items as { id: string }[]).map((p) => p.id)).toContain(plan.id);

    const form = (over: Record<string, unknown> = {}) => ({
      postId,
      name: '周小雨',
      idNumber: makeIdNumber('330212', '1999-04-04', 31),
      phone: '13757400188',
      education: 'bachelor',
      major: '社会工作',
      fullTime: true,
      certificates: [
        {
          kind: 'social_worker',
          issuedOn: '2025-06-21',
          file: { fileName: '社工师证.png', mime: 'image/png', dataBase64: PNG.toString('base64') },
        },
      ],
      clientKey: 'phone-retry-0001',
      ...over,
    });
    // A scan whose bytes are not what it claims is refused, and nothing is kept.
    const bad = await t.anonymous.post(
      `${url}/applications`,
      form({
        certificates: [
          {
            kind: 'social_worker',
            issuedOn: '2025-06-21',
            file: { fileName: 'x.pdf', mime: 'application/pdf', dataBase64: PNG.toString('base64') },
          },
        ],
      }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.problems[0]).toMatchObject({ field: 'certificates/0/file' });

    const ok = await t.anonymous.post(`${url}/applications`, form());
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({
      replayed: false,
      filesReceived: 1,
      preCheck: { eligible: true, reasons: [], bonusPoints: 5 },
    });
    // The phone retries: the same answer, no second application.
    const again = await t.anonymous.post(`${url}/applications`, form());
    expect(again.statusCode).toBe(200);
    expect(again.json().applicationId).toBe(ok.json().applicationId);
    // Another submission with the same ID number is a duplicate.
    expect((await t.anonymous.post(`${url}/applications`, form({ clientKey: 'another-try-0002' }))).json().error.code).toBe(
      'APPLICATION_EXISTS',
    );
    // Someone too old and without a degree is told why at once.
    const older = await t.anonymous.post(
      `${url}/applications`,
      form({
        name: '钱大年',
        idNumber: makeIdNumber('330212', '1980-05-05', 43),
        education: 'junior_college',
        fullTime: false,
        certificates: [
          {
            kind: 'counsellor',
            issuedOn: '2020-01-01',
            file: { fileName: 'c.pdf', mime: 'application/pdf', dataBase64: PDF.toString('base64') },
          },
        ],
        clientKey: 'phone-retry-0003',
      }),
    );
    expect(older.statusCode).toBe(201);
    expect(older.json().preCheck.eligible).toBe(false);
    expect(older.json().preCheck.reasons.join('；')).toMatch(/超过 35 岁.*学历 大专.*全日制/);

    // HR sees the online applications with their scans; another street's staff sees nothing of them.
    const apps = (await dongliu.get(`/api/workforce/recruitment/plans/${plan.id}/applications`)).json().items as {
      id: string;
      name: string;
      channel: string;
      files: { id: string; mime: string; fileName: string }[];
    }[];
    const zhou = apps.find((a) => a.name === '周小雨')!;
    expect(zhou).toMatchObject({ channel: 'online', files: [{ mime: 'image/png', fileName: '社工师证.png' }] });
    const scan = await dongliu.get(`/api/workforce/recruitment/applications/${zhou.id}/files/${zhou.files[0].id}`);
    expect(scan.statusCode).toBe(200);
    expect(scan.headers['content-type']).toBe('image/png');
    expect(scan.rawPayload.equals(PNG)).toBe(true);
    expect((await fuming.get(`/api/workforce/recruitment/applications/${zhou.id}/files/${zhou.files[0].id}`)).statusCode).toBe(404);
    expect((await t.anonymous.get(`/api/workforce/recruitment/applications/${zhou.id}/files/${zhou.files[0].id}`)).statusCode).toBe(401);

    // Screening applies the same rules and records the same reasons.
    plan = (await yinzhou.get(`/api/workforce/recruitment/plans/${plan.id}`)).json();
    plan = (await yinzhou.post(`/api/workforce/recruitment/plans/${plan.id}/advance`, { version: plan.version, to: 'screening' })).json();
    const screened = (await dongliu.get(`/api/workforce/recruitment/plans/${plan.id}/applications`)).json().items as {
      name: string;
      status: string;
      screening: string[];
      bonusPoints: number;
    }[];
    expect(screened.find((a) => a.name === '周小雨')).toMatchObject({ status: 'eligible', bonusPoints: 5 });
    expect(screened.find((a) => a.name === '钱大年')!.screening.join('；')).toContain('要求全日制学历');
    // Once applications have closed the form refuses.
    expect((await t.anonymous.post(`${url}/applications`, form({ clientKey: 'late-comer-0004' }))).json().error.code).toBe('STAGE_INVALID');
  });
});
