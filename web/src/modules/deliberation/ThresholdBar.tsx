import { Flex, Progress, Tag, Typography } from 'antd';
import { useLang } from '../../app/LangContext';
import { pct } from './api';

/**
 * A share against its legal threshold: the bar, a marker at the threshold, the figures, and
 * whether it is met. `met` comes from the server's exact count, never from the float on screen.
 */
export function ThresholdBar({ label, share, threshold, thresholdLabel, figures, met, testId }: {
  label: string;
  share: number;
  threshold: number;
  thresholdLabel: string;
  figures: string;
  met: boolean;
  testId?: string;
}) {
  const { t } = useLang();
  return (
    <div style={{ marginBottom: 14 }} data-testid={testId}>
      <Flex justify="space-between" align="baseline" gap={8}>
        <Typography.Text strong>{label}</Typography.Text>
        <Tag color={met ? 'green' : 'red'} style={{ marginInlineEnd: 0 }}>
          {met ? t('vote.met') : t('vote.notMet')}
        </Tag>
      </Flex>
      <div style={{ position: 'relative', paddingTop: 18 }}>
        <Progress percent={Math.min(100, share * 100)} showInfo={false} strokeColor={met ? '#389e0d' : '#1f5fbf'} size={['100%', 14]} />
        <div
          aria-hidden
          style={{ position: 'absolute', left: `${threshold * 100}%`, top: 0, bottom: 6, borderLeft: '2px dashed #cf1322' }}
        >
          <span style={{ position: 'absolute', top: -2, left: 4, fontSize: 11, color: '#cf1322', whiteSpace: 'nowrap' }}>{thresholdLabel}</span>
        </div>
      </div>
      <Flex justify="space-between">
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {figures}
        </Typography.Text>
        <Typography.Text style={{ fontSize: 12 }}>{pct(share)}</Typography.Text>
      </Flex>
    </div>
  );
}
