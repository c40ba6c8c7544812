import type { FormRule } from 'antd';
import type { MessageKey } from '../../app/i18n';
import { passwordProblem } from './passwordPolicy';

/** An antd form rule enforcing the password policy with a translated message. */
export function passwordRule(t: (key: MessageKey) => string): FormRule {
  return {
    validator: async (_rule, value: string | undefined) => {
      const problem = passwordProblem(value ?? '');
      if (problem === 'tooShort') throw new Error(t('profile.passwordTooShort'));
      if (problem === 'classes') throw new Error(t('profile.passwordClasses'));
    },
  };
}
