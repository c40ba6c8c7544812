import { useState } from 'react';
import { App, Button, Card, Flex, Result, Typography } from 'antd';
import { useParams, useSearchParams, Link } from 'react-router-dom';
import { useLang } from '../../app/LangContext';
import { errorText, volunteeringApi } from './api';

/** Where the venue's QR leads a volunteer's phone: check in on arrival, check out when leaving. */
export default function VolunteerCheckinPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const code = params.get('code') ?? '';
  const { t } = useLang();
  const { message } = App.useApp();
  const [done, setDone] = useState<'in' | 'out' | null>(null);
  const check = async (kind: 'in' | 'out') => {
    try {
      await volunteeringApi.check(id, kind, code);
      setDone(kind);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  if (done)
    return (
      <Result
        status="success"
        data-testid="checkin-done"
        title={done === 'in' ? t('vol.checkedIn') : t('vol.checkedOut')}
        extra={<Link to="/volunteering">{t('vol.back')}</Link>}
      />
    );
  return (
    <Card style={{ maxWidth: 420, margin: '0 auto' }}>
      <Flex vertical gap={12}>
        <Typography.Title level={4}>{t('vol.checkinTitle')}</Typography.Title>
        <Typography.Text type="secondary">{t('vol.checkinHint')}</Typography.Text>
        <Button type="primary" size="large" block onClick={() => check('in')} data-testid="checkin-in">
          {t('vol.checkIn')}
        </Button>
        <Button size="large" block onClick={() => check('out')} data-testid="checkin-out">
          {t('vol.checkOut')}
        </Button>
      </Flex>
    </Card>
  );
}
