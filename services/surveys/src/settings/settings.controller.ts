import { Body, Controller, HttpCode, Param, Post, Put, UseFilters } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { PROPERTY_PARAM, validRequest } from '@loyalty/platform';
import {
  assertPropertyInScope,
  AuthException,
  CurrentPrincipal,
  Roles,
  SUPER_ROLE,
  type Principal,
} from '@loyalty/auth';
import { templateProblems } from '../domain/template-validation';
import { SurveysError, SurveysErrorCode } from '../surveys-error';
import { SurveysErrorFilter } from '../surveys-error.filter';
import { BrandSettingsDto, PropertySettingsDto, PublishTemplateDto } from './dto/settings.dto';
import { PropertySettingsStore } from './property-settings';
import { TemplateStore } from './template-store';

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
  @ApiForbiddenResponse({ description: 'ROLE_REQUIRED: only a chain admin sets a property’s brand.' })
  async property(
    @CurrentPrincipal() principal: Principal,
    @Param('propertyId', PROPERTY_PARAM) propertyId: string,
    @Body(validRequest) dto: PropertySettingsDto,
  ) {
    assertPropertyInScope(principal, propertyId);
    // The brand decides which brand's NPS the property's answers count in: the chain's to decide.
    if (dto.brand !== undefined && !principal.roles.includes(SUPER_ROLE)) {
      throw new AuthException(
        'ROLE_REQUIRED',
        `only ${SUPER_ROLE} may set a property's brand; the token has: ${principal.roles.join(', ')}`,
      );
    }
    return PropertySettingsStore.configure(this.dataSource.manager, propertyId, dto);
  }

  @Put('settings/brands/:brand')
  @Roles('chain-admin')
  @ApiOkResponse({ description: 'The brand’s recontact window.' })
  async brand(@Param('brand') brand: string, @Body(validRequest) dto: BrandSettingsDto) {
    await PropertySettingsStore.setRecontactDays(this.dataSource.manager, brand, dto.recontactDays);
    return { brand, recontactDays: dto.recontactDays };
  }

  @Post('templates')
  @HttpCode(201)
  @Roles('chain-admin')
  @ApiCreatedResponse({ description: 'The new version; invitations sent from now on use it.' })
  async publish(@Body(validRequest) dto: PublishTemplateDto) {
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
