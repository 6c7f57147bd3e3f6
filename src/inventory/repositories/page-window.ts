/** One page of a listing, as the API asks for it (1-based page). */
export interface PageWindow {
  page: number;
  limit: number;
}

/** TypeORM's skip/take for a page. */
export function skipTake(window: PageWindow): { skip: number; take: number } {
  return { skip: (window.page - 1) * window.limit, take: window.limit };
}
