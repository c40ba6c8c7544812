import { useMutation } from '@tanstack/react-query';
import { Badge, Button, Flex } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useLang } from '../../app/LangContext';
import { auditApi } from './api';

/** Recomputes the audit log's hash chain on the server and shows whether it is intact. */
export function VerifyChain() {
  const { t } = useLang();
  // a mutation, not a query: verifying reads the whole log, so it runs only when asked
  const verify = useMutation({ mutationFn: auditApi.verify });
  const r = verify.data;

  let badge;
  if (verify.isPending) badge = <Badge status="processing" text={t('common.loading')} />;
  else if (!r) badge = <Badge status="default" text={t('audit.verifyUnknown')} />;
  else if (r.ok) badge = <Badge status="success" text={t('audit.verifyOk', { n: r.checked })} />;
  else
    badge = (
      <Badge
        status="error"
        text={`${t('audit.verifyBroken', { at: String(r.brokenAt ?? '?') })}${r.reason ? ` (${r.reason})` : ''}`}
      />
    );

  return (
    <Flex align="center" gap={12} wrap data-testid="audit-verify">
      {badge}
      <Button
        size="small"
        icon={<SafetyCertificateOutlined />}
        loading={verify.isPending}
        onClick={() => verify.mutate()}
        data-testid="audit-verify-button"
      >
        {t('audit.verify')}
      </Button>
    </Flex>
  );
}
