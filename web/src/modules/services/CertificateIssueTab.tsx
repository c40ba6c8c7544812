import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Flex, Input, Result, Select, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { isApiError } from '../../app/api';
import { useLang } from '../../app/LangContext';
import { ResidentLookup } from './ResidentLookup';
import { CertificateRegister } from './CertificateRegister';
import { servicesApi, type CertificateView, type FoundPerson } from './api';

const OTHER = '__other__';

interface Refusal {
  message: string;
  reason: string | null;
  verifiedBy: string | null;
}

/**
 * 证明开具 (V4): the community worker finds the resident at the counter, picks a certificate from
 * the community's list (with its legal basis), states the purpose and issues a numbered PDF with
 * a verification code. A type not on the list can be asked for too — the server refuses it and
 * names the department that verifies it instead, which the worker passes on to the resident.
 * Below, the register of what the community has issued, where a wrong certificate is revoked.
 */
export function CertificateIssueTab() {
  const own = useQuery({ queryKey: ['services', 'catalogue'], queryFn: servicesApi.catalogue });
  if (!own.data) return <Card loading={own.isPending}>{own.error && <Alert type="error" title={own.error.message} />}</Card>;
  const community = own.data.community;
  return (
    <Flex vertical gap={16} data-testid="certificate-issue">
      <IssueForm communityCode={community.code} communityName={community.name} />
      <CertificateRegister communityCode={community.code} />
    </Flex>
  );
}

function IssueForm({ communityCode, communityName }: { communityCode: string; communityName: string }) {
  const { t } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const types = useQuery({ queryKey: ['certificates', 'types'], queryFn: servicesApi.certificateTypes });
  const list = useQuery({ queryKey: ['certificates', 'list', communityCode], queryFn: () => servicesApi.certificateList(communityCode) });
  const [lookupKey, setLookupKey] = useState(0);
  const [person, setPerson] = useState<FoundPerson | null>(null);
  const [choice, setChoice] = useState<string>();
  const [otherName, setOtherName] = useState('');
  const [purpose, setPurpose] = useState('');
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<CertificateView | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);

  const entries = list.data?.entries ?? [];
  const listed = new Set(entries.map((e) => e.typeKey));
  const others = (types.data?.items ?? []).filter((x) => !listed.has(x.key));
  const entry = entries.find((e) => e.typeKey === choice);
  const typeKey = choice === OTHER ? otherName.trim() : choice;
  const ready = !!person && !!typeKey && purpose.trim().length >= 2;

  const issue = async () => {
    if (!person || !typeKey) return;
    setBusy(true);
    setRefusal(null);
    try {
      const cert = await servicesApi.issueCertificate({ communityCode, personId: person.id, typeKey, purpose: purpose.trim() });
      setIssued(cert);
      void qc.invalidateQueries({ queryKey: ['services', 'issued'] });
      void qc.invalidateQueries({ queryKey: ['services', 'certificates'] });
    } catch (e) {
      if (isApiError(e) && e.code === 'CERTIFICATE_NOT_LISTED') {
        const d = (e.details ?? {}) as { reason?: string; verifiedBy?: string | null };
        setRefusal({ message: e.message, reason: d.reason ?? null, verifiedBy: d.verifiedBy ?? null });
      } else {
        message.error((e as Error).message);
      }
    } finally {
      setBusy(false);
    }
  };
  const again = () => {
    setIssued(null);
    setPerson(null);
    setChoice(undefined);
    setOtherName('');
    setPurpose('');
    setLookupKey((k) => k + 1);
  };

  if (issued) {
    return (
      <Card size="small" title={`${communityName} · ${t('cissue.title')}`}>
        <Result
          status="success"
          style={{ padding: '16px 0' }}
          data-testid="cert-issued"
          title={<span data-testid="cert-issued-number">{t('cissue.issued', { number: issued.number })}</span>}
          subTitle={
            <span data-testid="cert-issued-code">
              {issued.typeName} · {issued.personName}
              <br />
              {t('cissue.issuedSub', { code: issued.verifyCode, date: issued.validUntil })}
            </span>
          }
          extra={
            <Flex gap={8} wrap justify="center">
              <Button
                type="primary"
                icon={<DownloadOutlined />}
                href={`/api/certificates/${issued.id}/pdf`}
                download={`${issued.number}.pdf`}
                data-testid="cert-issued-pdf"
              >
                {t('cissue.download')}
              </Button>
              <Button href={`/verify/${issued.verifyCode}`} target="_blank">
                {t('cissue.verifyPage')}
              </Button>
              <Button onClick={again} data-testid="cert-again">
                {t('cissue.again')}
              </Button>
            </Flex>
          }
        />
      </Card>
    );
  }

  return (
    <Card size="small" title={`${communityName} · ${t('cissue.title')}`} data-testid="cert-issue-form">
      <Flex vertical gap={12}>
        <Typography.Text strong>{t('cissue.stepPerson')}</Typography.Text>
        <ResidentLookup key={lookupKey} testId="cert" onFound={setPerson} />
        <Typography.Text strong>{t('cissue.stepType')}</Typography.Text>
        <Select
          data-testid="cert-type"
          showSearch
          optionFilterProp="label"
          placeholder={t('cissue.pickType')}
          style={{ width: '100%' }}
          value={choice}
          onChange={(v: string) => (setChoice(v), setRefusal(null))}
          loading={types.isPending || list.isPending}
          options={[
            { label: t('cissue.listed'), options: entries.map((e) => ({ value: e.typeKey, label: e.name })) },
            { label: t('cissue.unlisted'), options: others.map((x) => ({ value: x.key, label: x.name })) },
            { label: t('cissue.otherGroup'), options: [{ value: OTHER, label: t('cissue.other') }] },
          ]}
          optionRender={(o) =>
            listed.has(String(o.value)) || o.value === OTHER ? (
              o.label
            ) : (
              <Flex justify="space-between" gap={8}>
                <span>{o.label}</span>
                <Tag color="orange">{t('cissue.notListedTag')}</Tag>
              </Flex>
            )
          }
        />
        {choice === OTHER && (
          <Input
            data-testid="cert-type-other"
            maxLength={40}
            placeholder={t('cissue.otherName')}
            value={otherName}
            onChange={(e) => setOtherName(e.target.value)}
          />
        )}
        {entry && (
          <Descriptions size="small" column={1} bordered data-testid="cert-basis" styles={{ label: { whiteSpace: 'nowrap' } }}>
            <Descriptions.Item label={t('cissue.basis')}>{entry.legalBasis}</Descriptions.Item>
            <Descriptions.Item label={t('cissue.validity')}>{t('cissue.days', { n: entry.validityDays })}</Descriptions.Item>
          </Descriptions>
        )}
        <Typography.Text strong>{t('cissue.stepPurpose')}</Typography.Text>
        <Input
          data-testid="cert-purpose"
          maxLength={100}
          placeholder={t('cissue.purpose')}
          value={purpose}
          onChange={(e) => setPurpose(e.target.value)}
        />
        {refusal && (
          <Alert
            type="error"
            showIcon
            data-testid="cert-refusal"
            title={`${t('cissue.refused')}：${refusal.message}`}
            description={
              <>
                {refusal.reason && <div>{refusal.reason}</div>}
                {refusal.verifiedBy && (
                  <div style={{ marginTop: 4 }}>
                    {t('cissue.goTo')}
                    <Typography.Text strong data-testid="cert-refusal-department">
                      {refusal.verifiedBy}
                    </Typography.Text>
                  </div>
                )}
              </>
            }
          />
        )}
        <Button type="primary" block disabled={!ready} loading={busy} onClick={() => void issue()} data-testid="cert-submit">
          {t('cissue.submit')}
        </Button>
        {!ready && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('cissue.needAll')}
          </Typography.Text>
        )}
      </Flex>
    </Card>
  );
}
