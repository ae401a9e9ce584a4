import { createContext, useContext } from 'react';

/** Whether the open item is a favourite on this device, and how to change it; null: no star. */
export interface FavouriteToggle {
  favourite: boolean;
  toggle(): void;
  /** Why the last change failed, phrased for the rep; null after a success. */
  error: string | null;
}

export const FavouriteContext = createContext<FavouriteToggle | null>(null);

export const useFavourite = () => useContext(FavouriteContext);
