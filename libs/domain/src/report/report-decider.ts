import { Decider } from '../event-sourcing';
import { ReportCommand } from './commands';
import { decide } from './decide';
import { ReportEvent } from './events';
import { evolve } from './evolve';
import { initialState, ReportState } from './state';

/** A report's lifecycle as one decider, the shape a workflow hosts. */
export const reportDecider: Decider<ReportState, ReportCommand, ReportEvent> = { decide, evolve, initialState };
