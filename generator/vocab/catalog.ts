/** Typed views of the vocabulary data (the data files keep their literal types for checks). */
import products from './products.js';
import type { Product } from './types.js';

export const PRODUCTS: readonly Product[] = products;
