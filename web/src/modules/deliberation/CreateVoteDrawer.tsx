import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Drawer, Flex, Form, Input, InputNumber, Radio, Select, Switch, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import dayjs, { type Dayjs } from 'dayjs';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { defaultPlace, delibApi, type CreateVote } from './api';

interface Values {
  kind: 'selection' | 'owners';
  placeCode: string;
  title: string;
  description?: string;
  matter?: number;
  options?: { label: string }[];
  maxChoices?: number;
  winners?: number;
  secret?: boolean;
  window: [Dayjs, Dayjs];
}

const MATTERS = [1, 2, 3, 4, 5, 6, 7, 8, 9] as const;

/**
 * A worker drafts a vote: a selection (候选项, how many each may pick, how many win) or an owners'
 * decision (the Art. 278 matter decides the threshold; the place is the estate or building whose
 * owners decide). The server checks everything again; the draft opens from the vote page.
 */
export function CreateVoteDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useLang();
  const { session } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form) ?? 'owners';
  const matter = Form.useWatch('matter', form);
  const create = useMutation({
    mutationFn: (v: Values) => {
      const body: CreateVote = {
        kind: v.kind,
        placeCode: v.placeCode.trim(),
        title: v.title.trim(),
        description: v.description?.trim() || undefined,
        opensAt: v.window[0].toISOString(),
        closesAt: v.window[1].toISOString(),
      };
      if (v.kind === 'owners') body.matter = v.matter;
      else {
        body.options = (v.options ?? []).map((o) => ({ label: o.label.trim() })).filter((o) => o.label);
        body.maxChoices = v.maxChoices ?? 1;
        body.winners = v.winners ?? 1;
        body.secret = v.secret ?? false;
      }
      return delibApi.createVote(body);
    },
    onSuccess: (vote) => {
      message.success(t('vote.created'));
      void qc.invalidateQueries({ queryKey: ['deliberation'] });
      onClose();
      navigate(`/votes/${vote.id}`);
    },
  });
  return (
    <Drawer open={open} onClose={onClose} title={t('vote.new')} width={520} destroyOnHidden data-testid="vote-create-drawer">
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => create.mutate(v)}
        initialValues={{
          kind: 'owners',
          placeCode: defaultPlace(session?.roles),
          maxChoices: 1,
          winners: 1,
          options: [{ label: '' }, { label: '' }],
          window: [dayjs().startOf('hour').add(1, 'hour'), dayjs().startOf('hour').add(15, 'day')],
        }}
      >
        <Form.Item name="kind" label={t('vote.kind')}>
          <Radio.Group optionType="button" buttonStyle="solid" data-testid="vote-kind">
            <Radio.Button value="owners">{t('vote.kind.owners')}</Radio.Button>
            <Radio.Button value="selection">{t('vote.kind.selection')}</Radio.Button>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="title" label={t('vote.form.title')} rules={[{ required: true, min: 2, max: 100 }]}>
          <Input data-testid="vote-title" />
        </Form.Item>
        <Form.Item name="description" label={t('vote.form.description')}>
          <Input.TextArea rows={3} maxLength={4000} data-testid="vote-description" />
        </Form.Item>
        <Form.Item
          name="placeCode"
          label={t(kind === 'owners' ? 'vote.form.estate' : 'vote.form.place')}
          extra={t(kind === 'owners' ? 'vote.form.estateHint' : 'vote.form.placeHint')}
          rules={[{ required: true, pattern: /^\d{12}(\d{3}(\d{3}(\d{2}(\d{4})?)?)?)?$/, message: t('vote.form.placeInvalid') }]}
        >
          <Input inputMode="numeric" maxLength={24} data-testid="vote-place" />
        </Form.Item>
        {kind === 'owners' ? (
          <Form.Item
            name="matter"
            label={t('vote.form.matter')}
            rules={[{ required: true, message: t('vote.form.matterRequired') }]}
            extra={matter ? t(matter >= 6 && matter <= 8 ? 'vote.form.rule.threeQuarters' : 'vote.form.rule.moreThanHalf') : t('vote.form.matterHint')}
          >
            <Select
              data-testid="vote-matter"
              options={MATTERS.map((n) => ({ value: n, label: `（${n}）${t(`matter.${n}` as 'matter.1')}` }))}
              popupMatchSelectWidth={false}
            />
          </Form.Item>
        ) : (
          <>
            <Typography.Text strong>{t('vote.form.options')}</Typography.Text>
            <Form.List name="options">
              {(fields, { add, remove }) => (
                <div style={{ marginTop: 8 }}>
                  {fields.map((f, i) => (
                    <Flex key={f.key} gap={8} align="baseline">
                      <Form.Item name={[f.name, 'label']} style={{ flex: 1, marginBottom: 8 }} rules={[{ required: true, message: t('topic.required') }]}>
                        <Input placeholder={t('vote.form.option', { n: i + 1 })} data-testid={`vote-option-${i}`} />
                      </Form.Item>
                      {fields.length > 2 && <MinusCircleOutlined onClick={() => remove(f.name)} aria-label={t('common.delete')} />}
                    </Flex>
                  ))}
                  <Button type="dashed" onClick={() => add({ label: '' })} icon={<PlusOutlined />} block style={{ marginBottom: 16 }} data-testid="vote-option-add">
                    {t('vote.form.addOption')}
                  </Button>
                </div>
              )}
            </Form.List>
            <Flex gap={12}>
              <Form.Item name="maxChoices" label={t('vote.form.maxChoices')} rules={[{ required: true }]}>
                <InputNumber min={1} max={100} />
              </Form.Item>
              <Form.Item name="winners" label={t('vote.form.winners')} rules={[{ required: true }]}>
                <InputNumber min={1} max={100} />
              </Form.Item>
              <Form.Item name="secret" label={t('vote.form.secret')} valuePropName="checked">
                <Switch />
              </Form.Item>
            </Flex>
          </>
        )}
        <Form.Item name="window" label={t('vote.form.window')} rules={[{ required: true }]}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="vote-window" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending} block data-testid="vote-create-submit">
          {t('vote.form.submit')}
        </Button>
      </Form>
    </Drawer>
  );
}
