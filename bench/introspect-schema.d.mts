/** The DDL of benchmark table number `i`. */
export function tableSql(i: number): string;
