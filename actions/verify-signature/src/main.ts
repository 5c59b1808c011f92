import { UserError, type ActionContext, type ActionDefinition } from '@deploy-actions/action-kit';

export const action: ActionDefinition = {
  name: 'verify-signature',
  async main({ inputs }: ActionContext) {
    inputs.string('image', { required: true });
    inputs.secret('registry-password');
    inputs.boolean('allow-insecure-registry', { default: false });
    inputs.finish();
    throw new UserError('not-implemented', 'verify-signature is not implemented yet; the inputs are valid.');
  },
};
