import { UserError, type ActionContext, type ActionDefinition } from '@deploy-actions/action-kit';

export const action: ActionDefinition = {
  name: 'wait-ready',
  async main({ inputs }: ActionContext) {
    inputs.multiline('url', { required: true });
    inputs.duration('timeout', { default: '5m' });
    inputs.duration('interval', { default: '2s' });
    inputs.duration('request-timeout', { default: '10s' });
    inputs.integer('success-threshold', { default: 1, min: 1 });
    inputs.finish();
    throw new UserError('not-implemented', 'wait-ready is not implemented yet; the inputs are valid.');
  },
};
