import { UserError, type ActionContext, type ActionDefinition } from '@deploy-actions/action-kit';

export const action: ActionDefinition = {
  name: 'ssh-deploy',
  async main({ inputs }: ActionContext) {
    inputs.multiline('host', { required: true });
    inputs.string('username', { required: true });
    inputs.string('remote-dir', { required: true });
    inputs.secret('private-key');
    inputs.secret('passphrase');
    inputs.integer('port', { default: 22, min: 1, max: 65535 });
    inputs.enum('strategy', ['compose', 'script'] as const, { default: 'compose' });
    inputs.enum('transport', ['ssh', 'local'] as const, { default: 'ssh' });
    inputs.duration('health-timeout', { default: '2m' });
    inputs.finish();
    throw new UserError('not-implemented', 'ssh-deploy is not implemented yet; the inputs are valid.');
  },
};
