// given/when/then for deciders, in the spirit of Emmett's DeciderSpecification. Test-only.
import { Decider, fold } from '../src/event-sourcing';
import { IllegalStepCode, IllegalStepError } from '../src/errors';

export interface DeciderSpecification<C, E> {
  given(events: E[]): {
    when(command: C): {
      then(expected: E[]): void;
      thenThrows(code: IllegalStepCode, message?: string | RegExp): void;
    };
  };
}

export function specFor<S, C, E>(decider: Decider<S, C, E>): DeciderSpecification<C, E> {
  return {
    given: (events) => ({
      when: (command) => {
        const run = () => decider.decide(command, fold(decider, events));
        return {
          then: (expected) => expect(run()).toEqual(expected),
          thenThrows: (code, message) => {
            let thrown: unknown;
            try {
              run();
            } catch (error) {
              thrown = error;
            }
            expect(thrown).toBeInstanceOf(IllegalStepError);
            expect((thrown as IllegalStepError).code).toBe(code);
            if (message !== undefined) expect((thrown as IllegalStepError).message).toMatch(message);
          },
        };
      },
    }),
  };
}
