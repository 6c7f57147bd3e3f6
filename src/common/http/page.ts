import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE = 1_000_000;
/** The largest page a list answers. */
export const MAX_LIMIT = 500;

export class PageQueryDto {
  // Bounded: ?page=1e300 is an integer, and its offset overflowed the database (a 500).
  @ApiProperty({ required: false, default: 1, minimum: 1, maximum: MAX_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page = 1;

  @ApiProperty({ required: false, default: 50, minimum: 1, maximum: MAX_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit = 50;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

export function toPage<T>([items, total]: [T[], number], query: PageQueryDto): Page<T> {
  return { items, total, page: query.page, limit: query.limit };
}

type Constructor<T> = new (...args: never[]) => T;

/** An OpenAPI-described page of `item`, named after it. */
export function pageDtoOf<T>(item: Constructor<T>) {
  class PageDto {
    @ApiProperty({ type: [item] })
    items!: T[];

    @ApiProperty({ description: 'matching items in all pages' })
    total!: number;

    @ApiProperty()
    page!: number;

    @ApiProperty()
    limit!: number;
  }
  return PageDto;
}
