// POST /api/policies/:platform/simulations: what a candidate policy would have changed in the platform's past cases.

import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CLOCK_KINDS, ESCALATION_STEPS, GERMAN_STATES, SEVERITIES } from '@engine/domain';
import type { ClockKind, EscalationStep, GermanState, Severity } from '@engine/domain';
import { RequestValidationError } from '../../common/api-error';
import { InstantProperty, PolicyCellsProperty, PolicyRulesProperty, QueryIntegerProperty } from '../../common/validation';
import type { CandidatePolicy, PolicySimulationRequest } from '../policy-simulations';
import { PolicyCellsDto } from './policy.dto';
import { PolicyRulesDto } from './policy-version.dto';

export class PolicySimulationRequestDto {
  @QueryIntegerProperty({ min: 1, max: 2_147_483_647, description: 'An existing version of the policy to try. Exactly one of version, rules, cells.' })
  version?: number;

  @PolicyRulesProperty({ optional: true, schema: () => PolicyRulesDto, description: 'A whole rules table to try (as PUT takes it). Exactly one of version, rules, cells.' })
  rules?: PolicyRulesDto;

  @PolicyCellsProperty({ optional: true, schema: () => PolicyCellsDto, description: 'Some cells to try on the version in force (as PATCH takes them). Exactly one of version, rules, cells.' })
  cells?: PolicyCellsDto;

  @ApiProperty({
    enum: [...GERMAN_STATES],
    nullable: true,
    required: false,
    description: "With rules or cells: business time also skips this state's holidays; null: no state's (as a policy saved without one); absent: the holiday state in force.",
  })
  @IsOptional()
  @IsIn([...GERMAN_STATES], { message: `$property must be one of: ${GERMAN_STATES.join(', ')}, or null for none` })
  holidayState?: GermanState | null;

  @InstantProperty({ description: 'The period: cases filed from this instant …' })
  from!: string;

  @InstantProperty({ description: '… to this one (excluded).' })
  to!: string;

  @QueryIntegerProperty({ min: 0, max: 1000, default: 100, description: 'At most this many changed cases listed one by one (the summary counts them all).' })
  limit?: number;

  toRequest(): PolicySimulationRequest {
    const given = (['version', 'rules', 'cells'] as const).filter((field) => this[field] !== undefined);
    if (given.length !== 1) {
      throw new RequestValidationError([{ field: given[1] ?? 'rules', problems: [`give exactly one of version, rules, cells (given: ${given.join(', ') || 'none'})`] }]);
    }
    if (this.version !== undefined && this.holidayState !== undefined) {
      throw new RequestValidationError([{ field: 'holidayState', problems: ['holidayState goes with rules or cells; a version has its own'] }]);
    }
    const holiday = this.holidayState === undefined ? {} : { holidayState: this.holidayState };
    const candidate: CandidatePolicy =
      this.version !== undefined ? { version: this.version } : this.rules !== undefined ? { rules: this.rules, ...holiday } : { cells: this.cells!, ...holiday };
    return { candidate, from: this.from, to: this.to };
  }
}

/** An example body, published in the OpenAPI document: a half-hour first deadline for threats to life, over February. */
export const POLICY_SIMULATION_EXAMPLE = {
  cells: { critical: { deletion: { 'standard-contact': { duration: 'PT30M', basis: 'calendar' } } } },
  from: '2026-02-01T00:00:00+01:00',
  to: '2026-03-01T00:00:00+01:00',
} satisfies Partial<PolicySimulationRequestDto>;

export const STEP_CHANGES = ['earlier', 'later', 'unchanged', 'not-at-all', 'only-under-candidate'] as const;

const instant = (description: string, required = true) => ApiProperty({ type: String, format: 'date-time', required, description, example: '2026-02-03T10:20:00.000Z' });

export class SimulationPeriodDto {
  @instant('Filed from (included).')
  from!: string;

  @instant('Filed before (excluded).')
  to!: string;
}

export class SimulatedCandidateDto {
  @ApiProperty({ enum: ['version', 'rules', 'cells'], description: 'An existing version, a whole table, or cells on the version in force.' })
  source!: 'version' | 'rules' | 'cells';

  @ApiProperty({ description: 'The version tried; for a table not stored, the number it would get (the one in force + 1).', example: 4 })
  version!: number;

  @ApiProperty({ description: 'The version in force now, which the recorded cases are compared with where they followed it.', example: 3 })
  versionInForce!: number;

  @ApiProperty({ type: () => PolicyRulesDto })
  rules!: PolicyRulesDto;

  @ApiProperty({ required: false, enum: GERMAN_STATES })
  holidayState?: GermanState;
}

export class BothPoliciesCountDto {
  @ApiProperty({ description: 'As recorded.', example: 12 })
  recorded!: number;

  @ApiProperty({ description: 'Under the candidate.', example: 17 })
  simulated!: number;
}

export class BothPoliciesSecondsDto {
  @ApiProperty({ type: Number, nullable: true, description: 'As recorded; null when no case reached the step.', example: 86400 })
  recorded!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Under the candidate; null when no case reached the step.', example: 43200 })
  simulated!: number | null;
}

export class StepChangeCountsDto {
  @ApiProperty({ example: 9 }) earlier!: number;
  @ApiProperty({ example: 0 }) later!: number;
  @ApiProperty({ example: 3 }) unchanged!: number;
  @ApiProperty({ description: 'Reached as recorded, not under the candidate.', example: 0 }) notAtAll!: number;
  @ApiProperty({ description: 'Reached only under the candidate.', example: 5 }) onlyUnderCandidate!: number;
}

/** One ladder step of one kind of request, over all cases. */
export class SimulatedStepFiguresDto {
  @ApiProperty({ enum: CLOCK_KINDS }) clock!: ClockKind;
  @ApiProperty({ enum: ESCALATION_STEPS, description: 'reminder, high-level-contact (both messages to the platform), app-store-pressure (the app-store dossier).' }) step!: EscalationStep;
  @ApiProperty({ type: () => BothPoliciesCountDto, description: 'Cases whose request reached the step.' }) reached!: BothPoliciesCountDto;
  @ApiProperty({ type: () => StepChangeCountsDto }) changes!: StepChangeCountsDto;
  @ApiProperty({ type: () => BothPoliciesSecondsDto, description: 'Median time from sending the request to reaching the step, in seconds.' }) medianSecondsToStep!: BothPoliciesSecondsDto;
}

export class SimulationSummaryDto {
  @ApiProperty({ description: 'Cases filed in the period, simulated.', example: 40 }) cases!: number;
  @ApiProperty({ description: 'Cases with any step earlier, later, missing or new, or an action refused.', example: 14 }) casesChanged!: number;
  @ApiProperty({ description: "Cases where a recorded action is one the candidate's history does not allow.", example: 1 }) casesWithRefusedActions!: number;
  @ApiProperty({ type: () => BothPoliciesCountDto, description: 'Cases where a request reached app-store pressure.' }) appStorePressure!: BothPoliciesCountDto;
  @ApiProperty({ type: () => [SimulatedStepFiguresDto] }) steps!: SimulatedStepFiguresDto[];
}

export class SimulatedStepDto {
  @ApiProperty({ enum: CLOCK_KINDS }) clock!: ClockKind;
  @ApiProperty({ enum: ESCALATION_STEPS }) step!: EscalationStep;
  @ApiProperty({ enum: STEP_CHANGES }) change!: (typeof STEP_CHANGES)[number];
  @instant('When it was reached as recorded.', false) recorded?: string;
  @instant('When it would have been reached under the candidate.', false) simulated?: string;
  @ApiProperty({ required: false, description: 'Candidate minus recorded, in seconds (negative: earlier).', example: -43200 }) shiftSeconds?: number;
}

export class RefusedActionDto {
  @ApiProperty({ description: 'The recorded action, as its command.', example: 'Escalate' }) action!: string;
  @instant('When it was taken.') at!: string;
  @ApiProperty({ example: 'sam' }) actor!: string;
  @ApiProperty({ description: "The domain's reason code.", example: 'clock-not-running' }) code!: string;
  @ApiProperty({ description: "The domain's reason." }) reason!: string;
}

export class BothAppStorePressureDto {
  @ApiProperty() recorded!: boolean;
  @ApiProperty() simulated!: boolean;
}

export class SimulatedCaseDto {
  @ApiProperty({ example: 'R-20260203-3f9a1c07' }) reportId!: string;
  @instant('When it was filed.') filedAt!: string;
  @ApiProperty({ required: false, enum: SEVERITIES }) severity?: Severity;
  @ApiProperty({ type: () => [SimulatedStepDto], description: 'Each step either history reached, per request in ladder order.' }) steps!: SimulatedStepDto[];
  @ApiProperty({ type: () => BothAppStorePressureDto }) appStorePressure!: BothAppStorePressureDto;
  @ApiProperty({ type: () => [RefusedActionDto] }) refused!: RefusedActionDto[];
}

export class PolicySimulationDto {
  @ApiProperty({ example: 'telegram' }) platform!: string;
  @ApiProperty({ type: () => SimulationPeriodDto }) period!: SimulationPeriodDto;
  @instant("The simulation's now: deadlines falling later had not elapsed.") asOf!: string;
  @ApiProperty({ description: 'Shifts up to this many seconds count as unchanged (a recorded timer fires a moment after its deadline).', example: 60 }) sameWithinSeconds!: number;
  @ApiProperty({ type: () => SimulatedCandidateDto }) candidate!: SimulatedCandidateDto;
  @ApiProperty({ type: () => SimulationSummaryDto }) summary!: SimulationSummaryDto;
  @ApiProperty({ type: () => [SimulatedCaseDto], description: 'The changed cases one by one, in filing order, at most limit of them.' }) changedCases!: SimulatedCaseDto[];
}
