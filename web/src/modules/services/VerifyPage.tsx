import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Flex, Input, Result, Skeleton, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../app/api';
import { useLang } from '../../app/LangContext';

interface Verification {
  valid: boolean;
  status: 'valid' | 'revoked' | 'expired';
  number: string;
  typeName: string;
  communityName: string;
  issuedAt: string;
  validUntil: string;
}

/**
 * 证明核验: anyone holding a paper certificate (a school, an employer) checks its code here without
 * signing in. The server answers with the certificate's number, type, issuer and dates — never
 * the person it was issued to.
 */
export default function VerifyPage() {
  const { code = '' } = useParams();
  const navigate = useNavigate();
  const { t, lang, setLang } = useLang();
  const [input, setInput] = useState(code);
  const q = useQuery({
    queryKey: ['certificate-verify', code],
    queryFn: () => api.get<Verification>(`/api/certificates/verify/${encodeURIComponent(code)}`),
    enabled: code.length >= 6,
    retry: false,
  });
  const statusText = { valid: t('verify.valid'), revoked: t('verify.revoked'), expired: t('verify.expired') };
  return (
    <div style={{ maxWidth: 560, margin: '0 auto', padding: 16 }}>
      <Flex justify="space-between" align="center">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('verify.title')}
        </Typography.Title>
        <a onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>{t('lang.switch')}</a>
      </Flex>
      <Typography.Paragraph type="secondary">{t('verify.hint')}</Typography.Paragraph>
      <Input.Search
        data-testid="verify-input"
        value={input}
        onChange={(e) => setInput(e.target.value.toUpperCase())}
        enterButton={t('verify.check')}
        size="large"
        onSearch={(v) => v.trim() && navigate(`/verify/${encodeURIComponent(v.trim().toUpperCase())}`)}
      />
      <div style={{ marginTop: 16 }}>
        {code && q.isPending && <Skeleton active />}
        {q.isError && (
          <Result status="error" data-testid="verify-result" title={t('verify.notFound')} subTitle={t('verify.notFoundHint')} />
        )}
        {q.data && (
          <Card data-testid="verify-result">
            <Result style={{ padding: 8 }} status={q.data.valid ? 'success' : 'warning'} title={statusText[q.data.status]} />
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t('verify.number')}>{q.data.number}</Descriptions.Item>
              <Descriptions.Item label={t('verify.type')}>{q.data.typeName}</Descriptions.Item>
              <Descriptions.Item label={t('verify.issuer')}>{q.data.communityName}</Descriptions.Item>
              <Descriptions.Item label={t('verify.issuedAt')}>
                {new Date(q.data.issuedAt).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' })}
              </Descriptions.Item>
              <Descriptions.Item label={t('verify.validUntil')}>{q.data.validUntil}</Descriptions.Item>
            </Descriptions>
            <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
              {t('verify.privacy')}
            </Typography.Paragraph>
          </Card>
        )}
      </div>
    </div>
  );
}
