import { Body, Controller, HttpCode, Param, Post, Put, UseFilters, ValidationPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { assertPropertyInScope, CurrentPrincipal, Roles, type Principal } from '@loyalty/auth';
import { templateProblems } from '../domain/template-validation';
import { SurveysError, SurveysErrorCode } from '../surveys-error';
import { SurveysErrorFilter } from '../surveys-error.filter';
import { BrandSettingsDto, PropertySettingsDto, PublishTemplateDto } from './dto/settings.dto';
import { TemplateStore } from './template-store';

const body = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });

/** Per-property and per-brand survey settings, and template versions. */
@ApiTags('settings')
@ApiBearerAuth()
@UseFilters(SurveysErrorFilter)
@Controller()
export class SettingsController {
  constructor(private readonly dataSource: DataSource) {}

  @Put('settings/properties/:propertyId')
  @Roles('property-manager')
  @ApiOkResponse({ description: 'The property’s settings after the change; unset fields keep their value.' })
  async property(
    @CurrentPrincipal() principal: Principal,
    @Param('propertyId') propertyId: string,
    @Body(body) dto: PropertySettingsDto,
  ) {
    assertPropertyInScope(principal, propertyId);
    const [row]: unknown[] = await this.dataSource.query(
      `insert into survey_properties (property_id, brand, sampling_percent, delay_days, send_hour)
       values ($1, $2, coalesce($3, 100), coalesce($4, 1), coalesce($5, 10))
       on conflict (property_id) do update set brand = coalesce($2, survey_properties.brand),
         sampling_percent = coalesce($3, survey_properties.sampling_percent),
         delay_days = coalesce($4, survey_properties.delay_days), send_hour = coalesce($5, survey_properties.send_hour)
       returning property_id as "propertyId", brand, time_zone as "timeZone",
         sampling_percent::float8 as "samplingPercent", delay_days as "delayDays", send_hour as "sendHour"`,
      [
        propertyId,
        dto.brand ?? null,
        dto.samplingPercent ?? null,
        dto.delayDays ?? null,
        dto.sendHour ?? null,
      ],
    );
    return row;
  }

  @Put('settings/brands/:brand')
  @Roles('chain-admin')
  @ApiOkResponse({ description: 'The brand’s recontact window.' })
  async brand(@Param('brand') brand: string, @Body(body) dto: BrandSettingsDto) {
    await this.dataSource.query(
      `insert into survey_brands (brand, recontact_days) values ($1, $2)
       on conflict (brand) do update set recontact_days = excluded.recontact_days`,
      [brand, dto.recontactDays],
    );
    return { brand, recontactDays: dto.recontactDays };
  }

  @Post('templates')
  @HttpCode(201)
  @Roles('chain-admin')
  @ApiOkResponse({ description: 'The new version; invitations sent from now on use it.' })
  async publish(@Body(body) dto: PublishTemplateDto) {
    const problems = templateProblems(dto.questions);
    if (problems.length > 0)
      throw new SurveysError(SurveysErrorCode.TEMPLATE_INVALID, 'the template is not valid', {
        errors: problems,
      });
    return this.dataSource.transaction((manager) =>
      TemplateStore.publish(manager, dto.templateId, dto.scope, dto.scopeId ?? '*', dto.questions),
    );
  }
}
