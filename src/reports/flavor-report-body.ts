import type { FlavorAggregate } from './flavor-aggregates';
import { flavorCsv, formatFlavorTable, formatTable3 } from './flavor-table';
import type { FlavorReportFormat } from './report.dto';

/** A per-flavor report in the asked format: JSON keeps the framework's content type, text names its own. */
export type FlavorReportBody =
  { contentType: null; body: { flavors: FlavorAggregate[] } } | { contentType: 'text/csv' | 'text/plain'; body: string };

/** Pure: the per-flavor rows rendered for one `format` of GET /reports/flavors. */
export function flavorReportBody(rows: FlavorAggregate[], format: FlavorReportFormat = 'json'): FlavorReportBody {
  switch (format) {
    case 'csv':
      return { contentType: 'text/csv', body: flavorCsv(rows) };
    case 'table':
      return { contentType: 'text/plain', body: formatFlavorTable(rows) };
    case 'table3':
      return { contentType: 'text/plain', body: formatTable3(rows) };
    case 'json':
      return { contentType: null, body: { flavors: rows } };
  }
}
