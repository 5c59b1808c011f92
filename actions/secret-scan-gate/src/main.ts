import { UserError, type ActionContext, type ActionDefinition } from '@deploy-actions/action-kit';

const MODES = ['auto', 'diff', 'history', 'tree'] as const;

export const action: ActionDefinition = {
  name: 'secret-scan-gate',
  async main({ inputs }: ActionContext) {
    inputs.string('path', { default: '.' });
    inputs.enum('mode', MODES, { default: 'auto' });
    inputs.enum('fail-on', ['any', 'none'] as const, { default: 'any' });
    inputs.finish();
    throw new UserError('not-implemented', 'secret-scan-gate is not implemented yet; the inputs are valid.');
  },
};
