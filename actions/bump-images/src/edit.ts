import { UserError } from '@deploy-actions/action-kit';
import { DotenvSyntaxError, parseDotenv, setDotenvValues } from '@deploy-actions/compose-env';
import type { FileEdit } from '@deploy-actions/github';

/**
 * The edit bump-images makes to the deploy repository's env file: only the image keys'
 * values change (compose-env's setDotenvValues). A key the file does not already set is
 * refused rather than appended: a new key is a change to review on its own.
 */
export function imageEdit(
  images: ReadonlyMap<string, string>,
  where: string,
): (text: string | undefined) => FileEdit {
  return (text) => {
    if (text === undefined) {
      throw new UserError(
        'env-file-not-found',
        `${where} does not exist on the base branch (or the token cannot read it). Check 'file' and 'environment'.`,
      );
    }
    let edit;
    try {
      edit = setDotenvValues(text, images);
    } catch (error) {
      if (error instanceof DotenvSyntaxError) {
        throw new UserError(
          'env-file-invalid',
          `${where} cannot be read as a compose env file (line ${error.line}: ${error.reason}); fix it by hand first.`,
        );
      }
      throw error;
    }
    if (edit.missing.length > 0) {
      throw new UserError(
        'key-not-in-file',
        `${where} does not set ${edit.missing.join(', ')}. A bump only moves keys the file already pins: ` +
          'add the key by a reviewed change first, or fix the name in images.',
      );
    }
    const before = parseDotenv(text, { lookup: () => 'set' });
    return {
      text: edit.text,
      changes: edit.changed.map((key) => ({ key, from: before.get(key), to: images.get(key)! })),
      unchanged: edit.unchanged,
    };
  };
}
