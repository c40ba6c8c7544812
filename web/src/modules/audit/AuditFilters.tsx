import { Button, DatePicker, Flex, Form, Input, Select } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useLang } from '../../app/LangContext';
import type { AuditFilter } from './api';

interface FilterForm {
  range?: [Dayjs | null, Dayjs | null] | null;
  actor?: string;
  action?: string;
  outcome?: string;
  q?: string;
}

const OUTCOMES = ['success', 'failure', 'denied'];

function toFilter(v: FilterForm): AuditFilter {
  const clean = (s?: string) => (s && s.trim() ? s.trim() : undefined);
  return {
    from: v.range?.[0]?.toISOString(),
    to: v.range?.[1]?.toISOString(),
    actor: clean(v.actor),
    action: clean(v.action),
    outcome: v.outcome || undefined,
    q: clean(v.q),
  };
}

export function AuditFilters({ onChange }: { onChange: (f: AuditFilter) => void }) {
  const { t, tc } = useLang();
  const [form] = Form.useForm<FilterForm>();
  return (
    <Form<FilterForm> form={form} layout="vertical" onFinish={(v) => onChange(toFilter(v))}>
      <Flex wrap gap={12} align="flex-end">
        <Form.Item name="range" label={t('audit.timeRange')} style={{ marginBottom: 0, flex: '1 1 300px', maxWidth: 400 }}>
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            allowEmpty={[true, true]}
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Form.Item name="actor" label={t('audit.actor')} style={{ marginBottom: 0, flex: '1 1 140px', maxWidth: 200 }}>
          <Input allowClear data-testid="audit-actor" />
        </Form.Item>
        <Form.Item name="action" label={t('audit.action')} style={{ marginBottom: 0, flex: '1 1 140px', maxWidth: 200 }}>
          <Input allowClear data-testid="audit-action" />
        </Form.Item>
        <Form.Item name="outcome" label={t('audit.outcome')} style={{ marginBottom: 0, flex: '1 1 120px', maxWidth: 160 }}>
          <Select
            allowClear
            options={OUTCOMES.map((o) => ({ value: o, label: tc('outcome', o) }))}
            data-testid="audit-outcome"
          />
        </Form.Item>
        <Form.Item name="q" label={t('audit.keyword')} style={{ marginBottom: 0, flex: '1 1 140px', maxWidth: 220 }}>
          <Input allowClear data-testid="audit-q" />
        </Form.Item>
        <Flex gap={8}>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-search">
            {t('common.search')}
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              onChange({});
            }}
          >
            {t('common.reset')}
          </Button>
        </Flex>
      </Flex>
    </Form>
  );
}
