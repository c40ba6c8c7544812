import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Flex, Row, Tag, Tooltip, Typography } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { api } from '../../app/api';
import { useLang } from '../../app/LangContext';

interface Day {
  day: string;
  weekday: number;
  working: boolean;
  kind: 'holiday' | 'workday' | 'weekend' | 'normal';
  name: string;
}
interface Year {
  year: number;
  covered: boolean;
  officeHours: { from: number; to: number }[];
  workingDays: number;
  days: Day[];
}

const COLORS: Record<Day['kind'], string> = { holiday: '#ffccc7', workday: '#bae0ff', weekend: '#f5f5f5', normal: '#ffffff' };
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** The working-day calendar deadlines use (chinese-days: holidays and make-up working days). Read-only. */
export default function CalendarPage() {
  const { t } = useLang();
  const [year, setYear] = useState(new Date().getFullYear());
  const q = useQuery({ queryKey: ['event-calendar', year], queryFn: () => api.get<Year>(`/api/events/calendar/${year}`) });
  const y = q.data;
  const weekdays = t('cal.weekdays').split(',');

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} className="page-title" style={{ margin: 0 }}>
          {t('cal.title')}
        </Typography.Title>
        <Flex gap={8} align="center">
          <Button icon={<LeftOutlined />} onClick={() => setYear(year - 1)} aria-label="previous year" />
          <Typography.Text strong data-testid="calendar-year">
            {year}
          </Typography.Text>
          <Button icon={<RightOutlined />} onClick={() => setYear(year + 1)} aria-label="next year" />
        </Flex>
      </Flex>
      {y && (
        <Flex gap={8} wrap align="center">
          <Tag color="red" style={{ background: COLORS.holiday, color: '#000' }}>
            {t('cal.holiday')}
          </Tag>
          <Tag style={{ background: COLORS.workday }}>{t('cal.workday')}</Tag>
          <Tag style={{ background: COLORS.weekend }}>{t('cal.weekend')}</Tag>
          <Typography.Text data-testid="calendar-summary">
            {t('cal.summary', { n: y.workingDays, hours: y.officeHours.map((h) => `${hhmm(h.from)}–${hhmm(h.to)}`).join('、') })}
          </Typography.Text>
        </Flex>
      )}
      {y && !y.covered && <Alert type="warning" showIcon message={t('cal.missing', { year })} />}
      <Typography.Text type="secondary">{t('cal.readOnly')}</Typography.Text>
      <Row gutter={[12, 12]}>
        {Array.from({ length: 12 }, (_, m) => {
          const days = (y?.days ?? []).filter((d) => Number(d.day.slice(5, 7)) === m + 1);
          const lead = days.length ? (days[0].weekday + 6) % 7 : 0; // weeks start on Monday
          return (
            <Col xs={24} sm={12} lg={8} xl={6} key={m}>
              <Card size="small" title={t('cal.month', { m: m + 1 })} loading={q.isLoading}>
                <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, 1fr)', gap: 2, fontSize: 12, textAlign: 'center' }}>
                  {weekdays.map((w) => (
                    <div key={w} style={{ color: '#888' }}>
                      {w}
                    </div>
                  ))}
                  {Array.from({ length: lead }, (_, i) => (
                    <div key={`pad${i}`} />
                  ))}
                  {days.map((d) => (
                    <Tooltip key={d.day} title={d.name || undefined}>
                      <div
                        data-testid={`day-${d.day}`}
                        data-kind={d.kind}
                        style={{
                          background: COLORS[d.kind],
                          borderRadius: 3,
                          padding: '2px 0',
                          fontWeight: d.kind === 'workday' ? 600 : 400,
                        }}
                      >
                        {Number(d.day.slice(8))}
                        {d.kind === 'holiday' && <div style={{ fontSize: 9, lineHeight: 1 }}>{t('cal.rest')}</div>}
                        {d.kind === 'workday' && <div style={{ fontSize: 9, lineHeight: 1 }}>{t('cal.work')}</div>}
                      </div>
                    </Tooltip>
                  ))}
                </div>
              </Card>
            </Col>
          );
        })}
      </Row>
    </Flex>
  );
}
