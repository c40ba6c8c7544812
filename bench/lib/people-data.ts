import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { makeIdNumber } from '../../server/modules/registry/id-number.ts';

/**
 * Generated people for the registry benchmarks: unique, valid ID numbers (region 330212, birth
 * dates spread over 1930–2019, 3-digit sequences), phones, common names, and a house code for a
 * third of them.
 */
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红玉兰文斌海燕志梅婷欣怡梓涵宇浩然子轩晨阳一鸣博思远若曦雨桐佳慧淑珍凤金月彩梦瑶';

const DAY = 86_400_000;
const START = Date.UTC(1930, 0, 1);
const DAYS = 32_000; // to 2017

export interface BenchPerson {
  name: string;
  idNumber: string;
  phone: string;
  houseCode: string;
}

export function benchPerson(i: number, houses: string[]): BenchPerson {
  const birth = new Date(START + (i % DAYS) * DAY).toISOString().slice(0, 10);
  const seq = Math.floor(i / DAYS) % 1000;
  const h = (i * 2654435761) >>> 0;
  const name = SURNAMES[h % SURNAMES.length] + GIVEN[(h >>> 8) % GIVEN.length] + (h & 1 ? GIVEN[(h >>> 16) % GIVEN.length] : '');
  return {
    name,
    idNumber: makeIdNumber('330212', birth, seq),
    phone: `1${3 + (h % 7)}${String(100_000_000 + (i % 900_000_000)).slice(-9)}`,
    houseCode: houses.length && i % 3 === 0 ? houses[i % houses.length] : '',
  };
}

export const IMPORT_HEADERS = ['姓名', '证件号码', '联系电话', '民族', '人口类型', '房屋编码', '居住关系', '标签'];

export function importRow(p: BenchPerson): string[] {
  return [p.name, p.idNumber, p.phone, '汉族', '户籍', p.houseCode, p.houseCode ? '家庭成员' : '', ''];
}

/** Writes an .xlsx with the streaming writer (the file a district would upload). */
export async function writePeopleXlsx(file: string, count: number, houses: string[], offset = 0) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('人口信息');
  ws.addRow(IMPORT_HEADERS).commit();
  for (let i = 0; i < count; i++) ws.addRow(importRow(benchPerson(offset + i, houses))).commit();
  ws.commit();
  await wb.commit();
  return fs.statSync(file).size;
}
