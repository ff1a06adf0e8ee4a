import { PageQuery } from '../../complaints/dto/list-complaints.dto';

/** A page of a property's calendar changes, oldest first: its cursor holds the last change's sequence. */
export class CalendarChangesQueryDto extends PageQuery('sequence') {}
