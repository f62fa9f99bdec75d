import { ReportIdProperty } from '../../common/validation';

export class ReportIdParams {
  @ReportIdProperty()
  id!: string;
}
