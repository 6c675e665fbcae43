import {
  CustomVariableSupport,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceApi,
  type MetricFindValue,
  type ScopedVars,
} from '@grafana/data';
import { from, map, type Observable } from 'rxjs';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { PbxDataSourceOptions, PbxQuery, PbxVariableQuery } from './types';

/** The data source as the variable support sees it (no import cycle with datasource.ts). */
export type PbxDataSourceLike = DataSourceApi<PbxQuery, PbxDataSourceOptions> & {
  metricFindQuery(query: PbxVariableQuery | string, options?: { scopedVars?: ScopedVars }): Promise<MetricFindValue[]>;
};

/**
 * Grafana 10+ variable support: the editor above, values from `metricFindQuery` (which also serves legacy
 * string queries in provisioned dashboards).
 */
export class PbxVariableSupport extends CustomVariableSupport<PbxDataSourceLike, PbxVariableQuery> {
  constructor(private readonly ds: PbxDataSourceLike) {
    super();
  }

  editor = VariableQueryEditor as unknown as CustomVariableSupport<PbxDataSourceLike, PbxVariableQuery>['editor'];

  query(request: DataQueryRequest<PbxVariableQuery>): Observable<DataQueryResponse> {
    const target = request.targets[0];
    return from(this.ds.metricFindQuery(target, { scopedVars: request.scopedVars })).pipe(map((data) => ({ data })));
  }
}
