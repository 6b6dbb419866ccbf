export const formatCount = (n: number): string => n.toLocaleString('en-US');
