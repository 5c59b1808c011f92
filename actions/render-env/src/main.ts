import { UserError, type ActionContext, type ActionDefinition } from '@deploy-actions/action-kit';

export const action: ActionDefinition = {
  name: 'render-env',
  async main({ inputs }: ActionContext) {
    inputs.json('secrets', { secret: true });
    inputs.mapping('vars');
    inputs.enum('format', ['dotenv', 'json'] as const, { default: 'dotenv' });
    inputs.enum('policy', ['none', 'recommended', 'strict'] as const, { default: 'none' });
    inputs.boolean('require-digest', { default: false });
    inputs.finish();
    throw new UserError('not-implemented', 'render-env is not implemented yet; the inputs are valid.');
  },
};
