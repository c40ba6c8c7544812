import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Form, Input, Popconfirm, Select } from 'antd';
import { useLang } from '../../app/LangContext';
import { delibApi, type Vote } from './api';

/** For those who run the vote: open it, enter paper ballots, close and count. */
export function VoteManagerCard({ vote: v }: { vote: Vote }) {
  const { t } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ houseCode: string; choice: string }>();
  const refresh = () => void qc.invalidateQueries({ queryKey: ['deliberation'] });
  const open = useMutation({ mutationFn: () => delibApi.openVote(v.id, v.version), onSuccess: refresh });
  const close = useMutation({ mutationFn: () => delibApi.closeVote(v.id, v.version), onSuccess: refresh });
  const paper = useMutation({
    mutationFn: (b: { houseCode: string; choice: string }) => delibApi.paper(v.id, b),
    onSuccess: () => {
      message.success(t('vote.paperEntered'));
      form.resetFields(['houseCode']);
      refresh();
    },
  });
  if (v.status === 'closed') return null;
  return (
    <Card title={t('common.actions')} style={{ marginTop: 12 }} data-testid="vote-manage">
      {v.status === 'draft' && (
        <Button type="primary" onClick={() => open.mutate()} loading={open.isPending}>
          {t('vote.open')}
        </Button>
      )}
      {v.status === 'open' && v.kind === 'owners' && (
        <Form form={form} layout="vertical" onFinish={(b) => paper.mutate(b)} initialValues={{ choice: 'agree' }}>
          <Form.Item name="houseCode" label={t('vote.houseCode')} rules={[{ required: true, pattern: /^\d{24}$/, message: t('vote.houseCode') }]}>
            <Input inputMode="numeric" maxLength={24} data-testid="paper-house" />
          </Form.Item>
          <Flex gap={8}>
            <Form.Item name="choice" style={{ flex: 1 }}>
              <Select options={['agree', 'disagree', 'abstain'].map((c) => ({ value: c, label: t(`vote.${c}` as 'vote.agree') }))} />
            </Form.Item>
            <Button htmlType="submit" loading={paper.isPending} data-testid="paper-submit">
              {t('vote.paper')}
            </Button>
          </Flex>
        </Form>
      )}
      {v.status === 'open' && (
        <Popconfirm title={t('vote.closeConfirm')} onConfirm={() => close.mutate()} okText={t('common.confirm')} cancelText={t('common.cancel')}>
          <Button danger loading={close.isPending} data-testid="vote-close">
            {t('vote.close')}
          </Button>
        </Popconfirm>
      )}
    </Card>
  );
}
