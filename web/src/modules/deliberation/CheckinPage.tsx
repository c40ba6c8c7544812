import { useEffect } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Result, Spin } from 'antd';
import { useParams, useSearchParams } from 'react-router-dom';
import { useLang } from '../../app/LangContext';
import { delibApi } from './api';

/** Where a meeting's QR code leads: checks the signed-in user in once. */
export default function CheckinPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const { t } = useLang();
  const checkin = useMutation({ mutationFn: () => delibApi.checkin(id, params.get('t') ?? ''), meta: { silent: true } });
  useEffect(() => {
    checkin.mutate();
  }, []);
  if (checkin.isPending || checkin.isIdle) return <Spin />;
  if (checkin.isError) return <Result status="error" title={t('checkin.title')} subTitle={checkin.error.message} />;
  return (
    <Result
      status="success"
      title={checkin.data.already ? t('checkin.already') : t('checkin.done')}
      subTitle={checkin.data.meeting.title}
      data-testid="checkin-result"
    />
  );
}
