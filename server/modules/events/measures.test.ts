import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createTestApp, ENGINES, type Client, type TestApp } from '../../test/harness.ts';

/** The measures (E4) against the seeded demo history, recomputed independently from the rows. */
describe.each(ENGINES)('event measures on %s', (engine) => {
  let t: TestApp;
  let street: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    street = await t.login('fuming');
  });
  afterAll(async () => t?.close());

  it('721 split, closure, on-time and the three rates match the rows', async () => {
    const from = '2025-01-01';
    const to = '2027-01-01';
    const s = (await street.get(`/api/events/stats?scope=330212014027&from=${from}&to=${to}`)).json();
    const rows = await t.ctx.db
      .selectFrom('event')
      .select(['state', 'closed_at', 'closed_level', 'closed_on_time', 'accepted_at', 'satisfaction', 'overdue', 'whistled_at'])
      .where('place_code', 'like', '330212014027%')
      .where('state', '<>', 'merged')
      .execute();
    const closed = rows.filter((r) => r.closed_at);
    expect(s.total).toBe(rows.length);
    expect(s.total).toBeGreaterThan(100);
    expect(s.closed).toBe(closed.length);
    const share = (n: number, d: number) => Math.round((n / d) * 10000) / 10000;
    expect(s.split721.grid).toBe(share(closed.filter((r) => r.closed_level === 'grid').length, closed.length));
    expect(s.split721.street).toBe(share(closed.filter((r) => r.closed_level === 'street').length, closed.length));
    expect(s.split721.grid).toBeGreaterThan(0.5);
    expect(s.closureRate).toBe(share(closed.length, rows.length));
    expect(s.onTimeRate).toBe(share(closed.filter((r) => r.closed_on_time).length, closed.length));
    expect(s.responseRate).toBe(share(rows.filter((r) => r.accepted_at).length, rows.length));
    const rated = rows.filter((r) => r.satisfaction !== null);
    expect(s.satisfactionRate).toBe(share(rated.filter((r) => r.satisfaction! >= 4).length, rated.length));
    expect(s.byArea.map((a: { code: string }) => a.code).every((c: string) => c.startsWith('330212014027'))).toBe(true);
    expect(s.byArea.reduce((n: number, a: { count: number }) => n + a.count, 0)).toBe(rows.length);
    expect(s.departments.length).toBeGreaterThan(0);
    expect(s.trend.points.length).toBeGreaterThan(3);
  });

  it('exports the measures as .xlsx and the grids as GeoJSON', async () => {
    const x = await street.get('/api/events/stats.xlsx?scope=330212014');
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['总览', '分区域', '分类别', '部门响应', '趋势']);
    expect(wb.getWorksheet('总览')!.getCell('A5').value).toBe('事件总数');
    expect(wb.getWorksheet('总览')!.getCell('B11').numFmt).toBe('0.0%');
    const map = (await street.get('/api/events/map?scope=330212014027')).json();
    expect(map.type).toBe('FeatureCollection');
    expect(map.features.length).toBeGreaterThan(2);
    expect(map.features[0].geometry.coordinates[0]).toHaveLength(5);
  });

  it('refuses a node outside the caller’s place and a period that ends before it starts', async () => {
    expect((await street.get('/api/events/stats?scope=330212001')).statusCode).toBe(403);
    expect((await street.get('/api/events/stats?scope=330212014&from=2026-05-01&to=2026-01-01')).statusCode).toBe(400);
  });
});
