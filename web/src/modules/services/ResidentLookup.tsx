import { useState } from 'react';
import { Alert, App, Card, Flex, Input, Typography } from 'antd';
import { useLang } from '../../app/LangContext';
import { servicesApi, type FoundPerson } from './api';

/**
 * The one-window lookup (一窗受理): a resident of the worker's communities by ID card number or
 * phone, shown masked. Used by the window and by certificate issuing. `testId` prefixes the
 * search box (`{testId}-lookup`) and the card of the person found (`{testId}-person`).
 */
export function ResidentLookup({ testId, onFound }: { testId: string; onFound: (p: FoundPerson | null) => void }) {
  const { t } = useLang();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<FoundPerson | null>(null);
  const [missing, setMissing] = useState(false);
  const [loading, setLoading] = useState(false);
  const search = async (value: string) => {
    if (!value.trim()) return;
    setLoading(true);
    try {
      const r = await servicesApi.lookup(value.trim());
      const person = r.items[0]?.person ?? null;
      setFound(person);
      setMissing(!person);
      onFound(person);
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setLoading(false);
    }
  };
  return (
    <Flex vertical gap={8}>
      <Input.Search
        data-testid={`${testId}-lookup`}
        placeholder={t('svc.lookup')}
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onSearch={search}
        loading={loading}
        allowClear
        enterButton
      />
      {missing && <Alert type="warning" showIcon message={t('svc.noResident')} data-testid={`${testId}-missing`} />}
      {found && (
        <Card size="small" data-testid={`${testId}-person`}>
          <Typography.Text strong>{found.name}</Typography.Text> {found.idMasked} {found.phoneMasked} <br />
          <Typography.Text type="secondary">{found.address}</Typography.Text>
        </Card>
      )}
    </Flex>
  );
}
